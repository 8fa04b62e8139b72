using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Enforcement;
using Gpupredict.Core.Planning;
using Gpupredict.Enforcement.Checkpoint;
using Gpupredict.Enforcement.Processes;
using Gpupredict.Enforcement.Tests.Support;

namespace Gpupredict.Enforcement.Tests.Checkpoint;

/// <summary>The checkpoint backend through real processes, against the fake-cuda-checkpoint test double.</summary>
public sealed class CudaCheckpointBackendTests : IDisposable
{
    private static readonly AppId App = new(4242, 777);
    private readonly TempDirectory _dir = new("gpupredict-ckpt-");
    private readonly Dictionary<string, string?> _environment;

    public CudaCheckpointBackendTests()
    {
        Directory.CreateDirectory(_dir.File("state"));
        _environment = new(StringComparer.Ordinal) { ["FAKE_CKPT_STATE"] = _dir.File("state"), ["FAKE_CKPT_LOG"] = _dir.File("log") };
    }

    public void Dispose() => _dir.Dispose();

    private string[] Log => File.Exists(_dir.File("log")) ? File.ReadAllLines(_dir.File("log")) : [];

    private string DriverState => File.Exists(_dir.File("state/4242")) ? File.ReadAllText(_dir.File("state/4242")).Trim() : "running";

    [Fact]
    public void Suspend_Running_LocksWithTimeoutThenCheckpoints()
    {
        CudaCheckpointBackend backend = Create();

        EnforcementResult result = backend.Execute(Action(SlowActionKind.Suspend), "s1");

        Assert.Equal(EnforcementResult.Ok("s1", changed: true), result);
        Assert.Equal(["--help", "--get-state --pid 4242", "--action lock --pid 4242 --timeout 10000", "--action checkpoint --pid 4242"], Log);
        Assert.Equal((CheckpointState.Checkpointed, "checkpointed"), (backend.StateOf(App), DriverState));
    }

    [Fact]
    public void Restore_AfterSuspend_RestoresThenUnlocks()
    {
        CudaCheckpointBackend backend = Create();
        backend.Execute(Action(SlowActionKind.Suspend), "s1");

        EnforcementResult result = backend.Execute(Action(SlowActionKind.Restore), "r1");

        Assert.Equal(EnforcementResult.Ok("r1", changed: true), result);
        Assert.Equal(["--action restore --pid 4242", "--action unlock --pid 4242"], Log[^2..]);
        Assert.Equal((CheckpointState.Running, "running"), (backend.StateOf(App), DriverState));
    }

    [Fact]
    public void Suspend_Repeated_RunsOnceAndThenIsANoOp()
    {
        CudaCheckpointBackend backend = Create();
        backend.Execute(Action(SlowActionKind.Suspend), "s1");
        int calls = Log.Length;

        EnforcementResult sameId = backend.Execute(Action(SlowActionKind.Suspend), "s1");
        EnforcementResult newId = backend.Execute(Action(SlowActionKind.Suspend), "s2");

        Assert.Equal(EnforcementResult.Ok("s1", changed: false), sameId);
        Assert.Equal(EnforcementResult.Ok("s2", changed: false), newId);
        Assert.Equal(calls, Log.Length);
    }

    [Fact]
    public void Restore_Running_IsANoOp()
    {
        CudaCheckpointBackend backend = Create();

        EnforcementResult result = backend.Execute(Action(SlowActionKind.Restore), "r1");

        Assert.Equal(EnforcementResult.Ok("r1", changed: false), result);
        Assert.DoesNotContain(Log, l => l.StartsWith("--action", StringComparison.Ordinal));
    }

    [Fact]
    public void Restore_FoundLocked_OnlyUnlocks()
    {
        File.WriteAllText(_dir.File("state/4242"), "locked\n");
        CudaCheckpointBackend backend = Create();

        EnforcementResult result = backend.Execute(Action(SlowActionKind.Restore), "r1");

        Assert.True(result.Applied, result.Error);
        Assert.Equal("--action unlock --pid 4242", Log[^1]);
    }

    [Fact]
    public void Suspend_CheckpointFails_UnlocksBackAndNamesTheStep()
    {
        _environment["FAKE_CKPT_FAIL"] = "checkpoint";
        CudaCheckpointBackend backend = Create();

        EnforcementResult result = backend.Execute(Action(SlowActionKind.Suspend), "s1");

        Assert.False(result.Applied);
        Assert.StartsWith($"Suspend of {App}: failed at checkpoint: '", result.Error, StringComparison.Ordinal);
        Assert.EndsWith("; rolled back to running", result.Error, StringComparison.Ordinal);
        Assert.Equal("--action unlock --pid 4242", Log[^1]);
        Assert.Equal((CheckpointState.Running, "running"), (backend.StateOf(App), DriverState));
    }

    [Fact]
    public void Suspend_CheckpointAndRollbackUnlockFail_SaysItIsLeftLocked()
    {
        _environment["FAKE_CKPT_FAIL"] = "checkpoint";
        var backend = new CudaCheckpointBackend(
            new FailUnlockToo(TestDouble.Runner(_environment)), new CudaCheckpointOptions(TestDouble.PathOf(TestDouble.CudaCheckpoint)));

        EnforcementResult result = backend.Execute(Action(SlowActionKind.Suspend), "s1");

        Assert.Contains("failed at checkpoint: ", result.Error, StringComparison.Ordinal);
        Assert.EndsWith("; rollback unlock failed too: '" + TestDouble.PathOf(TestDouble.CudaCheckpoint) + " --action unlock --pid 4242' exited with code 1; stderr: 'refused by the test'; left locked", result.Error, StringComparison.Ordinal);
        Assert.Equal(CheckpointState.Locked, backend.StateOf(App));
    }

    [Fact]
    public void Suspend_LockFails_ChangesNothing()
    {
        _environment["FAKE_CKPT_FAIL"] = "lock";
        CudaCheckpointBackend backend = Create();

        EnforcementResult result = backend.Execute(Action(SlowActionKind.Suspend), "s1");

        Assert.EndsWith("exited with code 1; stderr: 'Could not lock process 4242: OS call failed or operation not supported on this OS'; nothing changed", result.Error, StringComparison.Ordinal);
        Assert.Equal(CheckpointState.Running, backend.StateOf(App));
    }

    [Fact]
    public void Migrate_ToolWithoutDeviceMap_FailsBeforeTouchingTheApp()
    {
        CudaCheckpointBackend backend = Create(uuids: true);

        EnforcementResult result = backend.Execute(Action(SlowActionKind.Migrate, target: 1), "m1");

        Assert.Equal(
            $"Migrate of {App}: the installed cuda-checkpoint does not list --device-map in its --help, so it cannot restore onto another GPU (GPU 0 -> 1); nothing was done",
            result.Error);
        Assert.DoesNotContain(Log, l => l.StartsWith("--action", StringComparison.Ordinal));
    }

    [Fact]
    public void Migrate_WithoutUuidResolver_FailsBeforeTouchingTheApp()
    {
        _environment["FAKE_CKPT_HELP"] = "r580";
        CudaCheckpointBackend backend = Create(uuids: false);

        EnforcementResult result = backend.Execute(Action(SlowActionKind.Migrate, target: 1), "m1");

        Assert.Contains("no UUID known for GPU 0", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Log, l => l.StartsWith("--action", StringComparison.Ordinal));
    }

    [Fact]
    public void Migrate_ToolWithDeviceMap_LocksCheckpointsRestoresOntoTheTargetAndUnlocks()
    {
        _environment["FAKE_CKPT_HELP"] = "r580";
        CudaCheckpointBackend backend = Create(uuids: true);

        EnforcementResult result = backend.Execute(Action(SlowActionKind.Migrate, target: 1), "m1");

        Assert.Equal(EnforcementResult.Ok("m1", changed: true), result);
        Assert.Equal(
            [
                "--action lock --pid 4242 --timeout 10000",
                "--action checkpoint --pid 4242",
                "--action restore --pid 4242 --device-map GPU-0=GPU-1,GPU-1=GPU-0",
                "--action unlock --pid 4242",
            ],
            Log[^4..]);
        Assert.Equal(CheckpointState.Running, backend.StateOf(App));
    }

    [Fact]
    public void Migrate_RestoreOnTargetFails_RestoresOnTheOriginalGpuAndUnlocks()
    {
        _environment["FAKE_CKPT_HELP"] = "r580";
        _environment["FAKE_CKPT_FAIL_DEVICE_MAP"] = "1";
        CudaCheckpointBackend backend = Create(uuids: true);

        EnforcementResult result = backend.Execute(Action(SlowActionKind.Migrate, target: 1), "m1");

        Assert.False(result.Applied);
        Assert.StartsWith($"Migrate of {App}: failed at restore on GPU 1: '", result.Error, StringComparison.Ordinal);
        Assert.EndsWith("; restored on GPU 0, rolled back to running", result.Error, StringComparison.Ordinal);
        Assert.Equal(["--action restore --pid 4242", "--action unlock --pid 4242"], Log[^2..]);
        Assert.Equal((CheckpointState.Running, "running"), (backend.StateOf(App), DriverState));
    }

    [Fact]
    public void Migrate_Suspended_IsRefused()
    {
        _environment["FAKE_CKPT_HELP"] = "r580";
        File.WriteAllText(_dir.File("state/4242"), "checkpointed\n");
        CudaCheckpointBackend backend = Create(uuids: true);

        EnforcementResult result = backend.Execute(Action(SlowActionKind.Migrate, target: 1), "m1");

        Assert.Equal(
            $"Migrate of {App}: it is checkpointed; only a running application is migrated (a suspended one is restored elsewhere)",
            result.Error);
    }

    [Fact]
    public void SuspendAndRestore_ToolBeforeR570_UseToggle()
    {
        _environment["FAKE_CKPT_HELP"] = "r550";
        CudaCheckpointBackend backend = Create();

        EnforcementResult suspend = backend.Execute(Action(SlowActionKind.Suspend), "s1");
        EnforcementResult restore = backend.Execute(Action(SlowActionKind.Restore), "r1");

        Assert.True(suspend.Applied && restore.Applied, suspend.Error ?? restore.Error);
        Assert.Equal(["--toggle --pid 4242", "--toggle --pid 4242"], Log.Where(static l => l.StartsWith("--toggle", StringComparison.Ordinal)));
    }

    [Fact]
    public void ApplyAndRelease_ChangeNothing_AndMpsIsRefused()
    {
        CudaCheckpointBackend backend = Create();

        EnforcementResult apply = backend.Apply(new GpuAllocation(App, 0, 1, 0, 1, 0, 1), "a1");
        EnforcementResult release = backend.Release(App, "rel");
        EnforcementResult mps = backend.Execute(new SlowAction(SlowActionKind.SetMpsPartition, App, 0, 0, 50, 0, 0, "t"), "x");

        Assert.Equal((EnforcementResult.Ok("a1", false), EnforcementResult.Ok("rel", false)), (apply, release));
        Assert.Equal(EnforcementResult.Failed("x", "SetMpsPartition is not performed by checkpoint; use the mps backend"), mps);
        Assert.Empty(Log);
    }

    [Fact]
    public void Execute_MissingExecutable_Fails()
    {
        var backend = new CudaCheckpointBackend(SystemProcessRunner.Instance, new CudaCheckpointOptions("/nonexistent/cuda-checkpoint"));

        EnforcementResult result = backend.Execute(Action(SlowActionKind.Suspend), "s1");

        Assert.StartsWith($"Suspend of {App}: '/nonexistent/cuda-checkpoint --help' could not be started", result.Error, StringComparison.Ordinal);
    }

    private static SlowAction Action(SlowActionKind kind, int target = 0) => new(kind, App, 0, target, 0, 1UL << 30, 0, "test");

    private CudaCheckpointBackend Create(bool uuids = false) => new(
        TestDouble.Runner(_environment),
        new CudaCheckpointOptions(TestDouble.PathOf(TestDouble.CudaCheckpoint), GpuUuid: uuids ? static g => $"GPU-{g}" : null));

    /// <summary>Passes everything to the double except unlock, which it refuses.</summary>
    private sealed class FailUnlockToo(IProcessRunner inner) : IProcessRunner
    {
        public ProcessResult Run(ProcessRequest request) =>
            request.Arguments.Contains("unlock") ? new ProcessResult(1, string.Empty, "refused by the test", false, null) : inner.Run(request);
    }
}
