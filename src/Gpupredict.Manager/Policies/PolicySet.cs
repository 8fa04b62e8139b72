using Gpupredict.Core.Apps;
using Gpupredict.Core.Pipeline;

namespace Gpupredict.Manager.Policies;

/// <summary>
/// A loaded policy file: node-wide constraints plus the rules that give each application its
/// priority, floor and ceiling. Immutable; a reload builds a new one and swaps it whole.
/// </summary>
/// <param name="Version">The schema version; 1.</param>
/// <param name="Node">Node-wide constraints.</param>
/// <param name="Default">What applies to an application no rule matches.</param>
/// <param name="Rules">The rules, in file order; the first that matches wins.</param>
/// <param name="Source">Where the set came from (a file path or a label), for diagnostics.</param>
public sealed record PolicySet(int Version, NodePolicy Node, AppPolicy Default, IReadOnlyList<PolicyRule> Rules, string Source)
{
    /// <summary>The only schema version this build reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>
    /// What applies when no policy file is loaded: node defaults, no rules, burstable weight 100 for
    /// all. (Named BuiltIn because the instance property <see cref="Default"/> holds the fallback rule.)
    /// </summary>
    public static PolicySet BuiltIn { get; } = new(CurrentVersion, NodePolicy.Default, AppPolicy.Default, [], "(built-in defaults)");

    /// <summary>
    /// What the loader noticed but let through, in file order: the set applies as it is, and whoever
    /// loads it reports these (such as a rule that grants a floor on a process name alone). Empty for
    /// <see cref="BuiltIn"/> and for a set built in code.
    /// </summary>
    public IReadOnlyList<PolicyWarning> Warnings { get; init; } = [];

    /// <summary>The policy of the first rule that matches <paramref name="identity"/>, else <see cref="Default"/>.</summary>
    public AppPolicy For(AppIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        foreach (PolicyRule rule in Rules)
        {
            if (rule.Match.Matches(identity))
            {
                return rule.Policy;
            }
        }

        return Default;
    }

    /// <summary>
    /// The terms an application arriving as <paramref name="identity"/> is planned under: the
    /// priority and constraints of the first rule that matches it, else of <see cref="Default"/>.
    /// </summary>
    public AppTerms Admit(AppIdentity identity)
    {
        AppPolicy policy = For(identity);
        return new AppTerms(policy.Priority, PolicyPlanning.Constraints(policy), policy.RuleName);
    }
}
