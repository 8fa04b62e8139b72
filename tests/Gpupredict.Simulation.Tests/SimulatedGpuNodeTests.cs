using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Enforcement;
using Gpupredict.Enforcement.Simulated;

namespace Gpupredict.Simulation.Tests;

public class SimulatedGpuNodeTests
{
    private const ulong MiB = 1UL << 20;
    private static readonly AppId App = new(9, 9);

    private static SimulatedGpuNode Node(double gib = 1) => new([SimulatedGpuSpec.WithMemory(0, gib)], new SimulatedCosts());

    private static ResourceVector Vram(ulong bytes, double sm = 0) => new(sm, 0, bytes);

    [Fact]
    public void Step_GrowthWithinPremap_ServedFromPoolAtPoolCost()
    {
        SimulatedGpuNode node = Node();
        node.Apply(new GpuAllocation(App, 0, 64 * MiB, 64 * MiB, 1, 0, 10), "r1");
        Assert.Equal(64 * MiB, node.MappedBytes(0));

        StepOutcome o = node.Step(App, Vram(10 * MiB));

        Assert.Equal(10 * MiB, o.GrowthBytes);
        Assert.Equal(10 * MiB, o.PoolBytes);
        Assert.Equal(0UL, o.FreshBytes);
        Assert.Equal(1_000, o.WaitNs);
        Assert.False(o.VramOverQuota);
    }

    [Fact]
    public void Step_GrowthBeyondPremap_FreshChunksCostPerChunk()
    {
        // Pre-mapped 4 MiB; 9 MiB needs 10 MiB mapped: 6 MiB = 3 chunks fresh -> 10 µs + 3 x 30 µs.
        SimulatedGpuNode node = Node();
        node.Apply(new GpuAllocation(App, 0, 64 * MiB, 4 * MiB, 1, 0, 10), "r1");

        StepOutcome o = node.Step(App, Vram(9 * MiB));

        Assert.Equal(6 * MiB, o.FreshBytes);
        Assert.Equal(3 * MiB, o.PoolBytes);
        Assert.Equal(100_000, o.WaitNs);
        Assert.Equal(10 * MiB, o.MappedBytes);
    }

    [Fact]
    public void Step_CarriesTheGpuAndTheReservation_ReservationChangesAreNotGrantChanges()
    {
        var node = new SimulatedGpuNode([SimulatedGpuSpec.WithMemory(0, 1), SimulatedGpuSpec.WithMemory(1, 1)], new SimulatedCosts());
        Assert.True(node.Apply(new GpuAllocation(App, 1, 64 * MiB, 8 * MiB, 1, 0, 10, 16 * MiB, 0.25), "r1").Changed);

        StepOutcome o = node.Step(App, Vram(4 * MiB, sm: 0.5), gpuIfNew: 1);

        Assert.Equal((1, 16 * MiB, 0.25), (o.Gpu, o.VramReservedBytes, o.SmReserved));
        Assert.False(o.SmOverShare); // the limit is the share, not the reservation
        Assert.False(node.Apply(new GpuAllocation(App, 1, 64 * MiB, 8 * MiB, 1, 1, 11, 32 * MiB, 0.5), "r2").Changed);
        Assert.Equal(0UL, node.Step(new AppId(1, 1), Vram(MiB), gpuIfNew: 0).VramReservedBytes); // pass-through: nothing reserved
    }

    [Fact]
    public void Step_OverQuotaAndShare_Flagged()
    {
        SimulatedGpuNode node = Node();
        node.Apply(new GpuAllocation(App, 0, 8 * MiB, 8 * MiB, 0.25, 0, 10), "r1");

        StepOutcome o = node.Step(App, Vram(9 * MiB, sm: 0.5));

        Assert.True(o.VramOverQuota);
        Assert.True(o.SmOverShare);
    }

    [Fact]
    public void Apply_LowerTarget_UnmapsFreeChunksButNotHeldOnes()
    {
        SimulatedGpuNode node = Node();
        node.Apply(new GpuAllocation(App, 0, 100 * MiB, 100 * MiB, 1, 0, 10), "r1");
        node.Step(App, Vram(30 * MiB));

        node.Apply(new GpuAllocation(App, 0, 100 * MiB, 10 * MiB, 1, 10, 20), "r2");

        Assert.Equal(30 * MiB, node.MappedBytes(0));
    }

    [Fact]
    public void Apply_SameRequestIdTwice_AppliedOnce()
    {
        SimulatedGpuNode node = Node();
        var grant = new GpuAllocation(App, 0, 8 * MiB, 8 * MiB, 0.5, 0, 10);

        EnforcementResult first = node.Apply(grant, "same");
        EnforcementResult second = node.Apply(grant with { VramQuotaBytes = 16 * MiB, PremapTargetBytes = 16 * MiB }, "same");

        Assert.True(first.Changed);
        Assert.False(second.Changed);
        Assert.Equal(8 * MiB, node.Grants[App].VramQuotaBytes);
    }

    [Fact]
    public void Apply_InvalidOrUnknownGpu_FailsAsValue()
    {
        SimulatedGpuNode node = Node();

        EnforcementResult bad = node.Apply(new GpuAllocation(App, 0, 1 * MiB, 2 * MiB, 0.5, 0, 10), "a");
        EnforcementResult missing = node.Apply(new GpuAllocation(App, 3, 2 * MiB, 2 * MiB, 0.5, 0, 10), "b");

        Assert.False(bad.Applied);
        Assert.Contains("exceeds the quota", bad.Error, StringComparison.Ordinal);
        Assert.Contains("GPU 3 does not exist", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Premap_BoundedByGpuMemory_AndGrowthBeyondIsRealOom()
    {
        // 64 MiB GPU: a 100 MiB target maps only 64 MiB; growing to 80 MiB is a real OOM.
        SimulatedGpuNode node = Node(gib: 1.0 / 16);
        node.Apply(new GpuAllocation(App, 0, 100 * MiB, 100 * MiB, 1, 0, 10), "r1");
        Assert.Equal(64 * MiB, node.MappedBytes(0));

        Assert.True(node.Step(App, Vram(80 * MiB)).GpuOutOfMemory);
    }

    [Fact]
    public void Release_ReturnsAllMemory()
    {
        SimulatedGpuNode node = Node();
        node.Apply(new GpuAllocation(App, 0, 64 * MiB, 64 * MiB, 1, 0, 10), "r1");

        node.Release(App, "bye");

        Assert.Equal(0UL, node.MappedBytes(0));
        Assert.Empty(node.Grants);
    }
}
