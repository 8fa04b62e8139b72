using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Enforcement;
using Gpupredict.Core.Planning;

namespace Gpupredict.Node.Tests.Support;

/// <summary>A test double of an enforcement backend: writes down every call in order and answers as scripted (by default, applied and changed).</summary>
internal sealed class RecordingBackend : IEnforcementBackend
{
    public string Name => "recording";

    public List<string> Calls { get; } = [];

    public Func<GpuAllocation, EnforcementResult?> OnApply { get; set; } = _ => null;

    public Func<SlowAction, EnforcementResult?> OnExecute { get; set; } = _ => null;

    public EnforcementResult Apply(GpuAllocation allocation, string requestId)
    {
        Calls.Add($"apply {allocation.App.Pid} gpu{allocation.Gpu} {allocation.VramQuotaBytes}");
        return OnApply(allocation) ?? EnforcementResult.Ok(requestId, changed: true);
    }

    public EnforcementResult Release(AppId app, string requestId)
    {
        Calls.Add($"release {app.Pid}");
        return EnforcementResult.Ok(requestId, changed: true);
    }

    public EnforcementResult Execute(SlowAction action, string requestId)
    {
        Calls.Add($"{action.Kind.ToString().ToLowerInvariant()} {action.App.Pid}");
        return OnExecute(action) ?? EnforcementResult.Ok(requestId, changed: true);
    }
}
