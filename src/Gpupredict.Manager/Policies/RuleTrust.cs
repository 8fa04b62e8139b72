using Gpupredict.Core.Apps;
using YamlDotNet.RepresentationModel;

namespace Gpupredict.Manager.Policies;

/// <summary>
/// Warns about rules that grant more on the application's own word. <c>process</c> (the kernel's
/// <c>comm</c>) and <c>env</c> are set by the application itself: any process can call itself
/// <c>tritonserver</c> or export <c>SLURM_JOB_PARTITION=gpu</c>. A rule that gives a floor or a
/// priority above the file's <c>default:</c> and matches on nothing else hands that to whoever asks.
/// </summary>
internal static class RuleTrust
{
    /// <summary>The warning for <paramref name="rule"/> (read from <paramref name="node"/> at <paramref name="path"/>), or null when it grants nothing on the application's word alone.</summary>
    public static PolicyWarning? Check(PolicyYaml yaml, PolicyRule rule, YamlMappingNode node, string path, AppPolicy fallback)
    {
        if (rule.Match.KernelVouched)
        {
            return null;
        }

        AppPolicy policy = rule.Policy;
        string? grants = policy.Floor.VramBytes > 0 || policy.Floor.SmShare > 0 ? "a floor"
            : policy.Priority > fallback.Priority ? $"priority {Describe(policy)} above the default's {Describe(fallback)}"
            : null;
        if (grants is null)
        {
            return null;
        }

        YamlNode at = PolicyYaml.ValueOf(node, "match") ?? node;
        return new PolicyWarning(
            yaml.Source,
            checked((int)at.Start.Line),
            checked((int)at.Start.Column),
            $"{path}.match",
            $"rule {PolicyYaml.Quote(rule.Name)} grants {grants} but matches only on process or env, which the application sets itself; "
            + "match also on uid, gid, user, executable or cgroup, which the kernel reports");
    }

    private static string Describe(AppPolicy policy) =>
        $"{policy.Priority.Class switch { PriorityClass.Guaranteed => "guaranteed", PriorityClass.BestEffort => "best-effort", _ => "burstable" }}/{policy.Priority.Weight}";
}
