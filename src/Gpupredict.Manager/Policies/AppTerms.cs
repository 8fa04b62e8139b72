using Gpupredict.Core.Apps;
using Gpupredict.Core.Planning;

namespace Gpupredict.Manager.Policies;

/// <summary>What an arriving application is given by the policy that matches it: what the planner takes, and which rule said so.</summary>
/// <param name="Priority">Class and weight: the order of service and, reversed, of preemption.</param>
/// <param name="Constraints">Floor, ceiling and whether it may be suspended or migrated, as the planner takes them.</param>
/// <param name="Rule">The name of the rule that matched, or <see cref="AppPolicy.DefaultRuleName"/> when none did; for logs and status, not for decisions.</param>
public sealed record AppTerms(Priority Priority, PlanConstraints Constraints, string Rule);
