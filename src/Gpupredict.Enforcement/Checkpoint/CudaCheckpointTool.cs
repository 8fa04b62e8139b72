using System.Globalization;
using Gpupredict.Enforcement.Processes;

namespace Gpupredict.Enforcement.Checkpoint;

/// <summary>
/// The cuda-checkpoint command lines: <c>--get-state --pid P</c>, <c>--action lock|checkpoint|restore|unlock --pid P</c>
/// (r570+; lock takes <c>--timeout ms</c>), <c>--toggle --pid P</c> (r550), and what <c>--help</c> says the installed
/// tool supports. Each call returns its answer or the reason it has none.
/// </summary>
internal sealed class CudaCheckpointTool(IProcessRunner runner, CudaCheckpointOptions options)
{
    /// <summary>The option the tool must list in --help before a restore onto another GPU is attempted.</summary>
    public const string DeviceMapOption = "--device-map";

    private Capabilities? _capabilities;

    /// <summary>What the installed tool supports, from its --help (asked once, remembered after the first success).</summary>
    public (Capabilities? Capabilities, string? Error) Probe()
    {
        if (_capabilities is { } known)
        {
            return (known, null);
        }

        (ProcessResult result, string? error) = Run(["--help"]);
        if (error is not null)
        {
            return (null, error);
        }

        string help = result.StandardOutput + result.StandardError;
        _capabilities = new Capabilities(
            Actions: help.Contains("--action", StringComparison.Ordinal),
            DeviceMap: help.Contains(DeviceMapOption, StringComparison.Ordinal));
        return (_capabilities, null);
    }

    /// <summary>The process's state from <c>--get-state</c>.</summary>
    public (CheckpointState? State, string? Error) GetState(int pid)
    {
        (ProcessResult result, string? error) = Run(["--get-state", "--pid", Pid(pid)]);
        if (error is not null)
        {
            return (null, error);
        }

        string text = result.StandardOutput.Trim();
        return text switch
        {
            "running" => (CheckpointState.Running, null),
            "locked" => (CheckpointState.Locked, null),
            "checkpointed" => (CheckpointState.Checkpointed, null),
            _ => (null, $"cuda-checkpoint --get-state --pid {pid} printed '{text}', not running, locked or checkpointed"),
        };
    }

    /// <summary>Runs <paramref name="step"/> on <paramref name="pid"/>; <paramref name="deviceMap"/> only for a restore onto other GPUs.</summary>
    public string? Run(CheckpointStep step, int pid, string? deviceMap = null)
    {
        var arguments = new List<string>();
        if (step == CheckpointStep.Toggle)
        {
            arguments.Add("--toggle");
        }
        else
        {
            arguments.Add("--action");
            arguments.Add(step.ToString().ToLowerInvariant());
        }

        arguments.Add("--pid");
        arguments.Add(Pid(pid));
        if (step == CheckpointStep.Lock && options.LockTimeoutMs is { } ms)
        {
            arguments.Add("--timeout");
            arguments.Add(ms.ToString(CultureInfo.InvariantCulture));
        }

        if (step == CheckpointStep.Restore && deviceMap is not null)
        {
            arguments.Add(DeviceMapOption);
            arguments.Add(deviceMap);
        }

        return Run(arguments).Error;
    }

    private static string Pid(int pid) => pid.ToString(CultureInfo.InvariantCulture);

    private (ProcessResult Result, string? Error) Run(IReadOnlyList<string> arguments)
    {
        var request = new ProcessRequest(options.Executable, arguments, null, null, options.EffectiveTimeout);
        ProcessResult result = runner.Run(request);
        return (result, result.Problem(request));
    }

    /// <summary>What the tool's --help lists.</summary>
    /// <param name="Actions">It has <c>--action</c> (lock, checkpoint, restore, unlock: r570+).</param>
    /// <param name="DeviceMap">It has <see cref="DeviceMapOption"/> (restore onto other GPUs).</param>
    internal sealed record Capabilities(bool Actions, bool DeviceMap);
}
