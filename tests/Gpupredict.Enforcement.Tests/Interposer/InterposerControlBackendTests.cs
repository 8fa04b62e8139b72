using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Enforcement;
using Gpupredict.Core.Planning;
using Gpupredict.Enforcement.Interposer;
using Gpupredict.Enforcement.Tests.Support;
using Gpupredict.Interop.Abi;
using Gpupredict.Interop.Control;

namespace Gpupredict.Enforcement.Tests.Interposer;

public sealed class InterposerControlBackendTests : IDisposable
{
    private static readonly AppId App = new(4242, 777);
    private static readonly AppId Stranger = new(4343, 888); // never registered
    private readonly OwnedControlBlocks _blocks = new();
    private readonly ControlBlockWriter _block;
    private readonly InterposerControlBackend _backend;

    public InterposerControlBackendTests()
    {
        _block = _blocks.Register(App);
        _backend = new InterposerControlBackend(_blocks, new FixedStepClock());
    }

    public void Dispose()
    {
        _backend.Dispose();
        _blocks.Dispose();
    }

    [Fact]
    public void Apply_Grant_WritesQuotaPremapWindowShareAndDevice()
    {
        var grant = new GpuAllocation(App, Gpu: 1, VramQuotaBytes: 8UL << 30, PremapTargetBytes: 2UL << 30, SmShare: 0.25, FromStep: 100, UntilStep: 150);

        EnforcementResult result = _backend.Apply(grant, "r1");
        ControlBlock block = Read();

        Assert.Equal(EnforcementResult.Ok("r1", changed: true), result);
        Assert.Equal(ControlFlags.EnforceQuota | ControlFlags.Premap | ControlFlags.Throttle, block.Flags);
        Assert.Equal((8UL << 30, 8UL << 30, 2UL << 30), (block.VramQuotaBytes, block.VirtualTotalBytes, block.PremapTargetBytes));

        // 1 s + 100 × 10 ms = 2 s; 1 s + 150 × 10 ms = 2.5 s.
        Assert.Equal((2_000_000_000UL, 2_500_000_000UL), (block.PremapFromNs, block.PremapUntilNs));
        Assert.Equal((250_000u, 1, FixedStepClock.Now), (block.SmSharePpm, block.Device, block.UpdatedNs));
    }

    [Fact]
    public void Apply_WholeGpuNoPremap_SetsOnlyTheQuotaFlag()
    {
        _backend.Apply(new GpuAllocation(App, 0, 1UL << 30, 0, 1.0, 0, 10), "r1");

        ControlBlock block = Read();

        Assert.Equal((ControlFlags.EnforceQuota, 1_000_000u), (block.Flags, block.SmSharePpm));
    }

    [Fact]
    public void Apply_ZeroQuota_WritesAOneByteQuotaBecauseZeroMeansNoLimit()
    {
        _backend.Apply(new GpuAllocation(App, 0, 0, 0, 0.5, 0, 10), "r1");

        ControlBlock block = Read();

        Assert.Equal((1UL, 0UL), (block.VramQuotaBytes, block.VirtualTotalBytes));
    }

    [Fact]
    public void Apply_SameRequestIdTwice_WritesOnceAndReportsNoChange()
    {
        var grant = new GpuAllocation(App, 0, 1UL << 30, 0, 0.5, 0, 10);
        _backend.Apply(grant, "r1");
        uint seq = Read().Seq;

        EnforcementResult again = _backend.Apply(grant with { VramQuotaBytes = 2UL << 30 }, "r1");

        Assert.Equal(EnforcementResult.Ok("r1", changed: false), again);
        Assert.Equal((seq, 1UL << 30), (Read().Seq, Read().VramQuotaBytes));
    }

    [Fact]
    public void Apply_SameGrantUnderANewRequestId_IsUnchangedAndNotRewritten()
    {
        var grant = new GpuAllocation(App, 0, 1UL << 30, 0, 0.5, 0, 10);
        _backend.Apply(grant, "r1");
        uint seq = Read().Seq;

        EnforcementResult repeat = _backend.Apply(grant, "r2");
        EnforcementResult renewed = _backend.Apply(grant with { FromStep = 10, UntilStep = 20 }, "r3");

        Assert.Equal((true, false), (repeat.Applied, repeat.Changed));
        Assert.Equal((true, true), (renewed.Applied, renewed.Changed));
        Assert.Equal(seq + 2, Read().Seq); // one more write: the renewal's
    }

    [Theory]
    [InlineData(-1, 100UL, 0UL, 0.5, "gpu index -1 is negative")]
    [InlineData(0, 100UL, 200UL, 0.5, "pre-map target 200 B exceeds the quota 100 B")]
    [InlineData(0, 100UL, 0UL, 1.5, "SM share 1.5 is outside [0, 1]")]
    public void Apply_InvalidGrant_FailsWithTheReasonAndWritesNothing(int gpu, ulong quota, ulong premap, double share, string reason)
    {
        EnforcementResult result = _backend.Apply(new GpuAllocation(App, gpu, quota, premap, share, 0, 10), "bad");

        Assert.Equal(EnforcementResult.Failed("bad", reason), result);
        Assert.Equal(0u, _block.Sequence); // never written: still absent to the interposer
    }

    [Fact]
    public void Apply_UnregisteredApp_FailsForWantOfABlock()
    {
        EnforcementResult result = _backend.Apply(new GpuAllocation(Stranger, 0, 1, 0, 1, 0, 1), "r1");

        Assert.Equal(EnforcementResult.Failed("r1", $"{Stranger} has no control block (not registered, or gone)"), result);
        Assert.Empty(_backend.Applications);
    }

    [Fact]
    public void Apply_BlockClosedWithItsRegistrationAfterAGrant_FailsInsteadOfThrowing()
    {
        _backend.Apply(new GpuAllocation(App, 0, 1UL << 30, 0, 0.5, 0, 10), "r1");
        _blocks.Depart(App);

        EnforcementResult result = _backend.Apply(new GpuAllocation(App, 0, 2UL << 30, 0, 0.5, 0, 10), "r2");

        Assert.Equal(("r2", false), (result.RequestId, result.Applied));
        Assert.False(string.IsNullOrEmpty(result.Error));
    }

    [Fact]
    public void Release_AfterApply_WritesPassThroughIntoTheRegistrationsBlock()
    {
        _backend.Apply(new GpuAllocation(App, 0, 1UL << 30, 1UL << 20, 0.5, 0, 10), "r1");
        using ControlBlockReader reader = ControlBlockReader.Open(_block.Memfd); // the application's mapping

        EnforcementResult result = _backend.Release(App, "rel");
        ControlBlock block = Assert.NotNull(reader.TryRead());

        Assert.Equal(EnforcementResult.Ok("rel", changed: true), result);
        Assert.Equal((ControlFlags.None, -1, FixedStepClock.Now), (block.Flags, block.Device, block.UpdatedNs));
        Assert.Empty(_backend.Applications);
        Assert.Same(_block, _blocks.Find(App)); // the block stays its registration's
    }

    [Fact]
    public void Release_AppGoneWithItsRegistration_IsOkAndUnchanged()
    {
        _backend.Apply(new GpuAllocation(App, 0, 1UL << 30, 0, 0.5, 0, 10), "r1");
        _blocks.Depart(App);

        Assert.Equal(EnforcementResult.Ok("rel", changed: false), _backend.Release(App, "rel"));
        Assert.Empty(_backend.Applications);
    }

    [Fact]
    public void Dispose_AfterAGrant_LeavesTheRegistrationsBlockOpen()
    {
        _backend.Apply(new GpuAllocation(App, 0, 1UL << 30, 0, 0.5, 0, 10), "r1");

        _backend.Dispose();
        _block.Write(new ControlBlock { Flags = ControlFlags.EnforceQuota, VramQuotaBytes = 5 });

        Assert.Equal(5UL, Read().VramQuotaBytes);
    }

    [Fact]
    public void Release_UnknownApp_IsOkAndUnchanged() =>
        Assert.Equal(EnforcementResult.Ok("rel", changed: false), _backend.Release(Stranger, "rel"));

    [Theory]
    [InlineData(SlowActionKind.SetMpsPartition)]
    [InlineData(SlowActionKind.Suspend)]
    [InlineData(SlowActionKind.Restore)]
    [InlineData(SlowActionKind.Migrate)]
    public void Execute_AnySlowAction_FailsNamingTheKindAndTheRightBackends(SlowActionKind kind)
    {
        var action = new SlowAction(kind, App, 0, 1, 50, 0, 0, "test");

        EnforcementResult result = _backend.Execute(action, "x");

        Assert.Equal(EnforcementResult.Failed("x", $"the interposer backend does not perform {kind}; use mps/checkpoint"), result);
    }

    private ControlBlock Read()
    {
        using ControlBlockReader reader = ControlBlockReader.Open(_block.Memfd);
        return Assert.NotNull(reader.TryRead());
    }
}
