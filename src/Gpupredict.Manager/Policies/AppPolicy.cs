using Gpupredict.Core.Apps;

namespace Gpupredict.Manager.Policies;

/// <summary>What one application is promised and what may be done to it.</summary>
/// <param name="RuleName">The rule that produced this policy, or <c>default</c>.</param>
/// <param name="Priority">Class and weight: the order of service and, reversed, of preemption.</param>
/// <param name="Floor">Never granted less than this, when the GPU has it.</param>
/// <param name="Ceiling">Never granted more than this; null means the whole GPU.</param>
/// <param name="MaySuspend">Whether the manager may checkpoint the application when it is idle.</param>
/// <param name="MayMigrate">Whether the manager may move the application to another GPU.</param>
public sealed record AppPolicy(string RuleName, Priority Priority, ResourceLimits Floor, ResourceLimits? Ceiling, bool MaySuspend, bool MayMigrate)
{
    /// <summary>The name <see cref="PolicySet.Default"/> and a file's <c>default:</c> section carry.</summary>
    public const string DefaultRuleName = "default";

    /// <summary>What applies to an application no rule names when no policy file is loaded.</summary>
    public static AppPolicy Default { get; } = new(DefaultRuleName, Priority.Default, ResourceLimits.Zero, null, MaySuspend: true, MayMigrate: true);

    /// <summary>Whether a class may be suspended when a policy does not say: never for guaranteed, allowed otherwise.</summary>
    public static bool DefaultMaySuspend(PriorityClass priorityClass) => priorityClass != PriorityClass.Guaranteed;
}
