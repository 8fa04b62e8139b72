using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Enforcement;
using Gpupredict.Core.Planning;
using Gpupredict.Enforcement.Simulated;

namespace Gpupredict.Simulation.Tests;

public class SimulatedGpuNodeSlowPathTests
{
    private const ulong MiB = 1UL << 20;
    private static readonly AppId App = new(9, 9);
    private static readonly AppId Other = new(10, 10);

    /// <summary>GPU 0 of 1 GiB, GPU 1 of <paramref name="secondGib"/> GiB.</summary>
    private static SimulatedGpuNode Node(double secondGib = 1) =>
        new([SimulatedGpuSpec.WithMemory(0, 1), SimulatedGpuSpec.WithMemory(1, secondGib)], new SimulatedCosts());

    private static ResourceVector Vram(ulong bytes, double sm = 0) => new(sm, 0, bytes);

    private static SlowAction Action(SlowActionKind kind, int gpu = 0, int target = 0, int smPercent = 0, long pauseNs = 0, AppId? app = null) =>
        new(kind, app ?? App, gpu, target, smPercent, 0, pauseNs, "test");

    /// <summary>A granted application on GPU 0 holding 10 MiB with 64 MiB mapped.</summary>
    private static SimulatedGpuNode Running(double secondGib = 1)
    {
        SimulatedGpuNode node = Node(secondGib);
        node.Apply(new GpuAllocation(App, 0, 128 * MiB, 64 * MiB, 0.5, 0, 10), "grant");
        node.Step(App, Vram(10 * MiB, sm: 0.2));
        Assert.Equal(64 * MiB, node.MappedBytes(0));
        return node;
    }

    /// <summary>Fills GPU 1 (64 MiB) with another application's pre-map.</summary>
    private static void FillSecondGpu(SimulatedGpuNode node)
    {
        node.Apply(new GpuAllocation(Other, 1, 64 * MiB, 64 * MiB, 0.5, 0, 10), "fill");
        Assert.Equal(64 * MiB, node.MappedBytes(1));
    }

    [Fact]
    public void Suspend_UnmapsEverythingAndDropsTheGrant()
    {
        SimulatedGpuNode node = Running();

        EnforcementResult r = node.Execute(Action(SlowActionKind.Suspend), "s1");

        Assert.True(r.Applied);
        Assert.True(r.Changed);
        Assert.Equal(0UL, node.MappedBytes(0));
        Assert.False(node.Grants.ContainsKey(App));
        Assert.Equal(0, Assert.Contains(App, node.Suspended));
    }

    [Fact]
    public void Suspend_Twice_SecondUnchanged()
    {
        SimulatedGpuNode node = Running();
        node.Execute(Action(SlowActionKind.Suspend), "s1");

        EnforcementResult again = node.Execute(Action(SlowActionKind.Suspend), "s2");

        Assert.True(again.Applied);
        Assert.False(again.Changed);
    }

    [Fact]
    public void Step_SuspendedWithSmAndGrowth_StallsWithoutMapping()
    {
        SimulatedGpuNode node = Running();
        node.Execute(Action(SlowActionKind.Suspend), "s1");

        StepOutcome o = node.Step(App, Vram(20 * MiB, sm: 0.3));

        Assert.True(o.Suspended);
        Assert.False(o.Granted);
        Assert.True(o.SmOverShare);
        Assert.True(o.VramOverQuota);
        Assert.Equal(10 * MiB, o.GrowthBytes);
        Assert.Equal(0UL, o.MappedBytes);
        Assert.Equal(0UL, o.FreshBytes);
        Assert.Equal(0UL, node.MappedBytes(0));
    }

    [Fact]
    public void Step_SuspendedAndIdle_NothingFlagged()
    {
        SimulatedGpuNode node = Running();
        node.Execute(Action(SlowActionKind.Suspend), "s1");

        StepOutcome o = node.Step(App, Vram(10 * MiB));

        Assert.True(o.Suspended);
        Assert.False(o.SmOverShare);
        Assert.False(o.VramOverQuota);
        Assert.False(o.GpuOutOfMemory);
        Assert.Equal(0UL, node.MappedBytes(0));
    }

    [Fact]
    public void Restore_MapsHeldBytesBackOnTargetGpu()
    {
        SimulatedGpuNode node = Running();
        node.Execute(Action(SlowActionKind.Suspend), "s1");
        node.Step(App, Vram(20 * MiB, sm: 0.3));

        EnforcementResult r = node.Execute(Action(SlowActionKind.Restore, gpu: 0, target: 1), "r1");

        Assert.True(r.Applied);
        Assert.True(r.Changed);
        Assert.Equal(0UL, node.MappedBytes(0));
        Assert.Equal(20 * MiB, node.MappedBytes(1));
        Assert.Empty(node.Suspended);
        Assert.False(node.Step(App, Vram(20 * MiB)).Suspended);
    }

    [Fact]
    public void Restore_ThenApplyOnTarget_Granted()
    {
        SimulatedGpuNode node = Running();
        node.Execute(Action(SlowActionKind.Suspend), "s1");
        node.Execute(Action(SlowActionKind.Restore, gpu: 0, target: 1), "r1");

        EnforcementResult r = node.Apply(new GpuAllocation(App, 1, 128 * MiB, 32 * MiB, 0.5, 10, 20), "g2");

        Assert.True(r.Applied, r.Error);
        Assert.Equal(1, node.Grants[App].Gpu);
        Assert.Equal(32 * MiB, node.MappedBytes(1));
    }

    [Fact]
    public void Restore_TargetWithoutRoom_FailsAsValueAndStaysSuspended()
    {
        SimulatedGpuNode node = Running(secondGib: 1.0 / 16);
        FillSecondGpu(node);
        node.Execute(Action(SlowActionKind.Suspend), "s1");

        EnforcementResult r = node.Execute(Action(SlowActionKind.Restore, gpu: 0, target: 1), "r1");

        Assert.False(r.Applied);
        Assert.Contains("restoring needs", r.Error, StringComparison.Ordinal);
        Assert.Contains(App, node.Suspended);
        Assert.Equal(64 * MiB, node.MappedBytes(1));
        Assert.Equal(0UL, node.MappedBytes(0));
    }

    [Fact]
    public void Restore_NotSuspended_OkUnchanged()
    {
        SimulatedGpuNode node = Running();

        EnforcementResult r = node.Execute(Action(SlowActionKind.Restore), "r1");

        Assert.True(r.Applied);
        Assert.False(r.Changed);
        Assert.Equal(64 * MiB, node.MappedBytes(0));
    }

    [Fact]
    public void Apply_WhileSuspended_Fails()
    {
        SimulatedGpuNode node = Running();
        node.Execute(Action(SlowActionKind.Suspend), "s1");

        EnforcementResult r = node.Apply(new GpuAllocation(App, 0, 128 * MiB, 64 * MiB, 0.5, 10, 20), "g2");

        Assert.False(r.Applied);
        Assert.Contains("suspended", r.Error, StringComparison.Ordinal);
        Assert.Equal(0UL, node.MappedBytes(0));
        Assert.Empty(node.Grants);
    }

    [Fact]
    public void Apply_WhileSuspendedOnAnotherGpu_FailsAndLeavesItWhereItWas()
    {
        SimulatedGpuNode node = Running();
        node.Execute(Action(SlowActionKind.Suspend), "s1");

        EnforcementResult r = node.Apply(new GpuAllocation(App, 1, 128 * MiB, 64 * MiB, 0.5, 10, 20), "g2");

        Assert.False(r.Applied);
        Assert.Equal(0, node.Suspended[App]);
        Assert.Equal(0UL, node.MappedBytes(1));
    }

    [Fact]
    public void Migrate_MovesMappedBytesAndTheGrantsGpu()
    {
        SimulatedGpuNode node = Running();

        EnforcementResult r = node.Execute(Action(SlowActionKind.Migrate, gpu: 0, target: 1), "m1");

        Assert.True(r.Applied);
        Assert.True(r.Changed);
        Assert.Equal(0UL, node.MappedBytes(0));
        Assert.Equal(64 * MiB, node.MappedBytes(1));
        Assert.Equal(1, node.Grants[App].Gpu);
        Assert.Equal(128 * MiB, node.Grants[App].VramQuotaBytes);
    }

    [Fact]
    public void Migrate_TargetWithoutRoom_FailsAndChangesNothing()
    {
        SimulatedGpuNode node = Running(secondGib: 1.0 / 16);
        FillSecondGpu(node);

        EnforcementResult r = node.Execute(Action(SlowActionKind.Migrate, gpu: 0, target: 1), "m1");

        Assert.False(r.Applied);
        Assert.Contains("the move needs", r.Error, StringComparison.Ordinal);
        Assert.Equal(64 * MiB, node.MappedBytes(0));
        Assert.Equal(64 * MiB, node.MappedBytes(1));
        Assert.Equal(0, node.Grants[App].Gpu);
    }

    [Fact]
    public void Migrate_Suspended_Fails()
    {
        SimulatedGpuNode node = Running();
        node.Execute(Action(SlowActionKind.Suspend), "s1");

        EnforcementResult r = node.Execute(Action(SlowActionKind.Migrate, gpu: 0, target: 1), "m1");

        Assert.False(r.Applied);
        Assert.Contains(App, node.Suspended);
        Assert.Equal(0UL, node.MappedBytes(1));
    }

    [Fact]
    public void SetMpsPartition_Recorded()
    {
        SimulatedGpuNode node = Running();
        Assert.Equal(100, node.MpsPercent(App));

        EnforcementResult r = node.Execute(Action(SlowActionKind.SetMpsPartition, smPercent: 40), "p1");

        Assert.True(r.Applied);
        Assert.True(r.Changed);
        Assert.Equal(40, node.MpsPercent(App));
    }

    [Fact]
    public void SetMpsPartition_RepeatedId_IdempotentAndChangedFalse()
    {
        SimulatedGpuNode node = Running();
        node.Execute(Action(SlowActionKind.SetMpsPartition, smPercent: 40), "p1");

        EnforcementResult repeat = node.Execute(Action(SlowActionKind.SetMpsPartition, smPercent: 70), "p1");

        Assert.True(repeat.Applied);
        Assert.False(repeat.Changed);
        Assert.Equal(40, node.MpsPercent(App));
    }

    [Fact]
    public void SetMpsPartition_SamePercentNewId_Unchanged()
    {
        SimulatedGpuNode node = Running();
        node.Execute(Action(SlowActionKind.SetMpsPartition, smPercent: 40), "p1");

        EnforcementResult same = node.Execute(Action(SlowActionKind.SetMpsPartition, smPercent: 40), "p2");

        Assert.True(same.Applied);
        Assert.False(same.Changed);
    }

    [Theory]
    [InlineData(SlowActionKind.SetMpsPartition, 0, 0, 0, 0, 9, "outside 1..100")]
    [InlineData(SlowActionKind.SetMpsPartition, 0, 0, 101, 0, 9, "outside 1..100")]
    [InlineData(SlowActionKind.Suspend, -1, 0, 0, 0, 9, "negative")]
    [InlineData(SlowActionKind.Migrate, 0, 0, 0, 0, 9, "to itself")]
    [InlineData(SlowActionKind.Suspend, 0, 0, 0, -5, 9, "negative")]
    [InlineData((SlowActionKind)99, 0, 0, 0, 0, 9, "unknown action kind")]
    [InlineData(SlowActionKind.Migrate, 0, 5, 0, 0, 9, "GPU 5 does not exist")]
    [InlineData(SlowActionKind.Restore, 2, 0, 0, 0, 9, "GPU 2 does not exist")]
    [InlineData(SlowActionKind.Suspend, 0, 0, 0, 0, 77, "is not on this node")]
    public void Execute_InvalidAction_FailsAsValueAndChangesNothing(SlowActionKind kind, int gpu, int target, int smPercent, long pauseNs, int pid, string expected)
    {
        SimulatedGpuNode node = Running();

        EnforcementResult r = node.Execute(Action(kind, gpu, target, smPercent, pauseNs, new AppId(pid, (ulong)pid)), "bad");

        Assert.False(r.Applied);
        Assert.False(r.Changed);
        Assert.Contains(expected, r.Error, StringComparison.Ordinal);
        Assert.Equal(64 * MiB, node.MappedBytes(0));
        Assert.Empty(node.Suspended);
        Assert.Equal(0, node.Grants[App].Gpu);
    }
}
