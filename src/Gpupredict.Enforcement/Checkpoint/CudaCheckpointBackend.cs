using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Enforcement;
using Gpupredict.Core.Planning;
using Gpupredict.Enforcement.Processes;

namespace Gpupredict.Enforcement.Checkpoint;

/// <summary>
/// Suspend, restore and migration through NVIDIA's cuda-checkpoint utility.
/// Suspend = lock, checkpoint; restore = restore, unlock; migrate = lock, checkpoint, restore onto
/// the target GPU, unlock. Each application's state follows <see cref="CheckpointTransitions"/>;
/// a step the table does not allow is refused as a value before anything runs. An application
/// seen for the first time has its state read with <c>--get-state</c>.
/// </summary>
/// <remarks>
/// <para>When a step fails midway the backend tries to return the application to where it was
/// (unlock after a failed checkpoint; restore on the original GPU and unlock after a failed restore
/// on the target) and says in the error which step failed and how far the rollback got.</para>
/// <para>A tool without <c>--action</c> (before r570) is driven with <c>--toggle</c> (suspend and
/// restore in place only). Restoring onto another GPU needs the tool to list
/// <see cref="CudaCheckpointTool.DeviceMapOption"/> in its --help and a GPU UUID resolver; it is
/// passed "OLD=NEW,NEW=OLD" (the two GPUs swapped, every other GPU mapped to itself). Without
/// both, a migration or a restore elsewhere fails before the application is touched.</para>
/// <para>Memory grants are the interposer's: <see cref="Apply"/> and <see cref="Release"/> change nothing.</para>
/// </remarks>
public sealed class CudaCheckpointBackend : IEnforcementBackend
{
    /// <summary>The backend name.</summary>
    public const string BackendName = "checkpoint";

    private readonly CudaCheckpointTool _tool;
    private readonly CudaCheckpointOptions _options;
    private readonly RequestMemo _memo;
    private readonly Dictionary<AppId, CheckpointState> _states = [];

    /// <summary>A backend running cuda-checkpoint through <paramref name="runner"/>.</summary>
    public CudaCheckpointBackend(IProcessRunner runner, CudaCheckpointOptions options, int rememberedRequests = RequestMemo.DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _tool = new CudaCheckpointTool(runner, options);
        _memo = new RequestMemo(rememberedRequests);
    }

    /// <inheritdoc />
    public string Name => BackendName;

    /// <summary>The state tracked for <paramref name="app"/>, or null when it was never acted on.</summary>
    public CheckpointState? StateOf(AppId app)
    {
        lock (_states)
        {
            return _states.TryGetValue(app, out CheckpointState state) ? state : null;
        }
    }

    /// <inheritdoc />
    public EnforcementResult Apply(GpuAllocation allocation, string requestId) =>
        _memo.Once(requestId, () => EnforcementResult.Ok(requestId, changed: false));

    /// <inheritdoc />
    public EnforcementResult Release(AppId app, string requestId) =>
        _memo.Once(requestId, () => EnforcementResult.Ok(requestId, changed: false));

    /// <inheritdoc />
    public EnforcementResult Execute(SlowAction action, string requestId)
    {
        ArgumentNullException.ThrowIfNull(action);
        return _memo.Once(requestId, () =>
        {
            if (action.Validate() is { } problem)
            {
                return EnforcementResult.Failed(requestId, problem);
            }

            if (action.Kind == SlowActionKind.SetMpsPartition)
            {
                return EnforcementResult.Failed(requestId, $"{action.Kind} is not performed by checkpoint; use the mps backend");
            }

            lock (_states)
            {
                string? error = null;
                bool changed = false;
                var run = new Run(this, action.App);
                (CudaCheckpointTool.Capabilities? tool, string? probeError) = _tool.Probe();
                (CheckpointState? state, string? stateError) = tool is null ? (null, null) : run.Current();
                error = probeError ?? stateError;
                if (error is null && tool is not null && state is { } from)
                {
                    (changed, error) = action.Kind switch
                    {
                        SlowActionKind.Suspend => run.Suspend(from, tool),
                        SlowActionKind.Restore => run.Restore(from, tool, action.Gpu, action.TargetGpu),
                        _ => run.Migrate(from, tool, action.Gpu, action.TargetGpu),
                    };
                }

                return error is null ? EnforcementResult.Ok(requestId, changed)
                    : EnforcementResult.Failed(requestId, $"{action.Kind} of {action.App}: {error}");
            }
        });
    }

    /// <summary>"OLD=NEW,NEW=OLD" for a restore from GPU <paramref name="from"/> onto <paramref name="to"/>, or why there is none.</summary>
    private (string? Map, string? Error) DeviceMap(CudaCheckpointTool.Capabilities tool, int from, int to)
    {
        if (!tool.Actions || !tool.DeviceMap)
        {
            return (null, $"the installed cuda-checkpoint does not list {CudaCheckpointTool.DeviceMapOption} in its --help, so it cannot restore onto another GPU (GPU {from} -> {to}); nothing was done");
        }

        string? old = _options.GpuUuid?.Invoke(from);
        string? target = _options.GpuUuid?.Invoke(to);
        return old is null || target is null
            ? (null, $"no UUID known for GPU {(old is null ? from : to)} (no GPU UUID resolver configured or the GPU is absent); nothing was done")
            : ($"{old}={target},{target}={old}", null);
    }

    /// <summary>One action's steps on one application, keeping the tracked state in step with the tool.</summary>
    private readonly struct Run(CudaCheckpointBackend backend, AppId app)
    {
        public (CheckpointState? State, string? Error) Current()
        {
            if (backend._states.TryGetValue(app, out CheckpointState known))
            {
                return (known, null);
            }

            (CheckpointState? state, string? error) = backend._tool.GetState(app.Pid);
            if (state is { } read)
            {
                backend._states[app] = read;
            }

            return (state, error);
        }

        public (bool Changed, string? Error) Suspend(CheckpointState from, CudaCheckpointTool.Capabilities tool)
        {
            if (from == CheckpointState.Checkpointed)
            {
                return (false, null);
            }

            if (!tool.Actions)
            {
                return (true, Step(CheckpointStep.Toggle) is { } toggle ? $"failed at toggle: {toggle}" : null);
            }

            if (from == CheckpointState.Running && Step(CheckpointStep.Lock) is { } lockError)
            {
                return (false, $"failed at lock: {lockError}; nothing changed");
            }

            return Step(CheckpointStep.Checkpoint) is { } checkpointError
                ? (false, $"failed at checkpoint: {checkpointError}; {Rollback(CheckpointStep.Unlock)}")
                : (true, null);
        }

        public (bool Changed, string? Error) Restore(CheckpointState from, CudaCheckpointTool.Capabilities tool, int gpu, int target)
        {
            if (from == CheckpointState.Running)
            {
                return (false, null);
            }

            string? map = null;
            if (from == CheckpointState.Checkpointed && gpu != target)
            {
                (map, string? mapError) = backend.DeviceMap(tool, gpu, target);
                if (mapError is not null)
                {
                    return (false, mapError);
                }
            }

            if (!tool.Actions)
            {
                return (true, Step(CheckpointStep.Toggle) is { } toggle ? $"failed at toggle: {toggle}" : null);
            }

            if (from == CheckpointState.Checkpointed && Step(CheckpointStep.Restore, map) is { } restoreError)
            {
                return (false, $"failed at restore: {restoreError}; left checkpointed");
            }

            return Step(CheckpointStep.Unlock) is { } unlockError
                ? (true, $"failed at unlock: {unlockError}; GPU state restored but left locked")
                : (true, null);
        }

        public (bool Changed, string? Error) Migrate(CheckpointState from, CudaCheckpointTool.Capabilities tool, int gpu, int target)
        {
            if (from != CheckpointState.Running)
            {
                return (false, $"it is {from.ToString().ToLowerInvariant()}; only a running application is migrated (a suspended one is restored elsewhere)");
            }

            (string? map, string? mapError) = backend.DeviceMap(tool, gpu, target);
            if (mapError is not null)
            {
                return (false, mapError);
            }

            if (Step(CheckpointStep.Lock) is { } lockError)
            {
                return (false, $"failed at lock: {lockError}; nothing changed");
            }

            if (Step(CheckpointStep.Checkpoint) is { } checkpointError)
            {
                return (false, $"failed at checkpoint: {checkpointError}; {Rollback(CheckpointStep.Unlock)}");
            }

            if (Step(CheckpointStep.Restore, map) is { } restoreError)
            {
                string back = Step(CheckpointStep.Restore) is { } again
                    ? $"rollback restore on GPU {gpu} failed too: {again}; left checkpointed"
                    : Rollback(CheckpointStep.Unlock, $"restored on GPU {gpu}");
                return (true, $"failed at restore on GPU {target}: {restoreError}; {back}");
            }

            return Step(CheckpointStep.Unlock) is { } unlockError
                ? (true, $"failed at unlock: {unlockError}; restored on GPU {target} but left locked")
                : (true, null);
        }

        private string Rollback(CheckpointStep step, string done = "")
        {
            string prefix = done.Length == 0 ? string.Empty : done + ", ";
            return Step(step) is { } error
                ? $"{prefix}rollback {step.ToString().ToLowerInvariant()} failed too: {error}; left {backend._states[app].ToString().ToLowerInvariant()}"
                : $"{prefix}rolled back to {backend._states[app].ToString().ToLowerInvariant()}";
        }

        /// <summary>Runs <paramref name="step"/> when the table allows it from the tracked state; on success moves the state.</summary>
        private string? Step(CheckpointStep step, string? deviceMap = null)
        {
            CheckpointState from = backend._states[app];
            if (CheckpointTransitions.Next(from, step) is not { } to)
            {
                return $"{step.ToString().ToLowerInvariant()} is not allowed when {from.ToString().ToLowerInvariant()}";
            }

            if (backend._tool.Run(step, app.Pid, deviceMap) is { } error)
            {
                return error;
            }

            backend._states[app] = to;
            return null;
        }
    }
}
