namespace Gpupredict.Manager.Policies;

/// <summary>One entry of a policy file's <c>rules:</c> list.</summary>
/// <param name="Name">The rule's name, unique within its file.</param>
/// <param name="Match">Which applications the rule applies to.</param>
/// <param name="Policy">What a matching application gets; its <see cref="AppPolicy.RuleName"/> is <paramref name="Name"/>.</param>
/// <param name="Line">The 1-based line of the rule in its file, for diagnostics; 0 when built in code.</param>
public sealed record PolicyRule(string Name, RuleMatch Match, AppPolicy Policy, int Line = 0);
