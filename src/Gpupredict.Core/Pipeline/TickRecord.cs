using System.Runtime.InteropServices;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Planning;

namespace Gpupredict.Core.Pipeline;

/// <summary>
/// What one tick did, for its observers: the step as the source reported it, who was admitted and
/// who left, the requests and forecasts the planner saw, its plan, every grant handed to the backend
/// with its result, the slow-path actions that finished, and what went wrong. Owned by the tick and
/// reused every step: an observer copies what it keeps.
/// </summary>
public sealed class TickRecord
{
    private readonly List<AppAdmitted> _admitted = [];
    private readonly List<AppId> _released = [];
    private readonly List<GrantApplied> _grants = [];
    private readonly List<SlowCompletion> _completions = [];
    private readonly List<string> _errors = [];

    /// <summary>The step observed; the plan is for the step after it.</summary>
    public long Step { get; private set; }

    /// <summary>The step as the source reported it.</summary>
    public DemandFrame Frame { get; private set; } = new();

    /// <summary>Applications admitted in this tick.</summary>
    public ReadOnlySpan<AppAdmitted> Admitted => CollectionsMarshal.AsSpan(_admitted);

    /// <summary>Applications released in this tick (exited or gone); their state is forgotten.</summary>
    public ReadOnlySpan<AppId> Released => CollectionsMarshal.AsSpan(_released);

    /// <summary>The requests the planner saw, with the forecasts (views valid during the callback only).</summary>
    public IReadOnlyList<PlanRequest> Requests { get; private set; } = [];

    /// <summary>The plan for <see cref="Step"/> + 1; null when nobody was left to plan for.</summary>
    public AllocationPlan? Plan { get; private set; }

    /// <summary>Grants handed to the backend, in the order they were applied.</summary>
    public ReadOnlySpan<GrantApplied> Grants => CollectionsMarshal.AsSpan(_grants);

    /// <summary>Slow-path actions that finished during this tick (possibly issued by an earlier one).</summary>
    public ReadOnlySpan<SlowCompletion> Completions => CollectionsMarshal.AsSpan(_completions);

    /// <summary>What the backend refused or the plan got wrong, one line each: "step S, APP: what".</summary>
    public IReadOnlyList<string> Errors => _errors;

    /// <summary>Starts the record of <paramref name="step"/>.</summary>
    public void Begin(long step, DemandFrame frame)
    {
        Step = step;
        Frame = frame;
        Requests = [];
        Plan = null;
        _admitted.Clear();
        _released.Clear();
        _grants.Clear();
        _completions.Clear();
        _errors.Clear();
    }

    /// <summary>Records an admission.</summary>
    public void AddAdmitted(in AppAdmitted admitted) => _admitted.Add(admitted);

    /// <summary>Records a release.</summary>
    public void AddReleased(AppId app) => _released.Add(app);

    /// <summary>Records the planner's input and output.</summary>
    public void SetPlan(IReadOnlyList<PlanRequest> requests, AllocationPlan plan)
    {
        Requests = requests;
        Plan = plan;
    }

    /// <summary>Records a grant and its result.</summary>
    public void AddGrant(in GrantApplied grant) => _grants.Add(grant);

    /// <summary>Records a finished slow-path action.</summary>
    public void AddCompletion(in SlowCompletion completion) => _completions.Add(completion);

    /// <summary>Records an error line.</summary>
    public void AddError(string error) => _errors.Add(error);
}
