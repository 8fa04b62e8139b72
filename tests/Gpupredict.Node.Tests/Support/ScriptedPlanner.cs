using Gpupredict.Core.Planning;

namespace Gpupredict.Node.Tests.Support;

/// <summary>A planner whose plan the test writes; remembers every view and request list it was given.</summary>
internal sealed class ScriptedPlanner(Func<NodeView, IReadOnlyList<PlanRequest>, AllocationPlan> plan) : IPlanner
{
    public string Name => "scripted";

    public List<(NodeView View, PlanRequest[] Requests)> Seen { get; } = [];

    public AllocationPlan Plan(NodeView view, IReadOnlyList<PlanRequest> requests)
    {
        Seen.Add((view with { Current = new Dictionary<Core.Apps.AppId, Core.Allocation.GpuAllocation>(view.Current), Suspended = new Dictionary<Core.Apps.AppId, int>(view.Suspended) }, [.. requests]));
        return plan(view, requests);
    }
}
