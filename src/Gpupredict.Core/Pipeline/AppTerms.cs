using Gpupredict.Core.Apps;
using Gpupredict.Core.Planning;

namespace Gpupredict.Core.Pipeline;

/// <summary>What policy gives an application when it arrives.</summary>
/// <param name="Priority">Its priority class and weight.</param>
/// <param name="Constraints">Its floors, ceilings and slow-path permissions.</param>
/// <param name="Rule">Which rule matched, for reports and logs (e.g. <c>rules[2]</c>, <c>default</c>).</param>
public sealed record AppTerms(Priority Priority, PlanConstraints Constraints, string Rule)
{
    /// <summary>What an application gets when no policy is loaded: the default priority, no constraints.</summary>
    public static AppTerms Default { get; } = new(Priority.Default, PlanConstraints.None, "default");
}
