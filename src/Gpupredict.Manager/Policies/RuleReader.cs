using YamlDotNet.RepresentationModel;

namespace Gpupredict.Manager.Policies;

/// <summary>Reads one entry of <c>rules:</c>: its name, its match and what it grants.</summary>
internal static class RuleReader
{
    /// <summary>The longest process name the kernel keeps (<c>comm</c>, TASK_COMM_LEN - 1).</summary>
    public const int MaxProcessName = 15;

    private static readonly string[] RuleKeys = ["name", "match", .. AppPolicyReader.PolicyKeys];
    private static readonly string[] MatchKeys = ["process", "executable", "user", "uid", "gid", "cgroup", "env"];

    /// <summary>Reads the rule at <paramref name="path"/> (such as <c>rules[2]</c>).</summary>
    public static PolicyRule Read(PolicyYaml yaml, YamlNode node, string path)
    {
        FieldMap map = FieldMap.Read(yaml, node, path, "a rule: a mapping with name, match and what it grants", RuleKeys);
        YamlNode nameNode = map["name"] ?? throw yaml.Error(node, map.PathOf("name"), "a rule name", "no name key");
        string name = yaml.Name(nameNode, map.PathOf("name"), "a non-empty rule name");
        YamlNode matchNode = map["match"] ?? throw yaml.Error(node, map.PathOf("match"), $"a match with at least one of {string.Join(", ", MatchKeys)}", "no match key");
        RuleMatch match = ReadMatch(yaml, matchNode, map.PathOf("match"));
        return new PolicyRule(name, match, AppPolicyReader.Read(yaml, map, name), checked((int)node.Start.Line));
    }

    private static RuleMatch ReadMatch(PolicyYaml yaml, YamlNode node, string path)
    {
        string expected = $"a mapping with at least one of {string.Join(", ", MatchKeys)}";
        FieldMap map = FieldMap.Read(yaml, node, path, expected, MatchKeys);
        if (map.IsEmpty)
        {
            throw yaml.Error(node, path, expected, "an empty mapping");
        }

        string? process = null;
        if (map["process"] is YamlNode p)
        {
            process = yaml.Name(p, map.PathOf("process"), "a process name glob such as \"python*\"");
            if (Glob.MinimumLength(process) > MaxProcessName)
            {
                throw yaml.Mismatch(p, map.PathOf("process"), $"a glob that can match a process name of at most {MaxProcessName} characters (the kernel's comm)");
            }
        }

        return new RuleMatch(
            process,
            map["executable"] is YamlNode x ? ReadExecutable(yaml, x, map.PathOf("executable")) : null,
            map["user"] is YamlNode u ? yaml.Name(u, map.PathOf("user"), "a user name") : null,
            map["uid"] is YamlNode id ? (uint)yaml.Integer(id, map.PathOf("uid"), 0, uint.MaxValue) : null,
            map["gid"] is YamlNode g ? (uint)yaml.Integer(g, map.PathOf("gid"), 0, uint.MaxValue) : null,
            map["cgroup"] is YamlNode c ? yaml.Name(c, map.PathOf("cgroup"), "a cgroup path glob such as \"/slurm/uid_*/job_*\"") : null,
            map["env"] is YamlNode e ? ReadEnvironment(yaml, e, map.PathOf("env")) : new Dictionary<string, string>(StringComparer.Ordinal));
    }

    /// <summary>
    /// A glob on the executable's absolute path. One that cannot start with <c>/</c> could never
    /// match, so it is refused rather than left to grant nothing.
    /// </summary>
    private static string ReadExecutable(PolicyYaml yaml, YamlNode node, string path)
    {
        const string Expected = "an absolute executable path glob such as \"/opt/lammps/bin/lmp*\"";
        string executable = yaml.Name(node, path, Expected);
        return executable[0] is '/' or '*' or '?' ? executable : throw yaml.Mismatch(node, path, Expected);
    }

    private static Dictionary<string, string> ReadEnvironment(PolicyYaml yaml, YamlNode node, string path)
    {
        const string Expected = "a mapping of environment variables to values, such as { SLURM_JOB_PARTITION: gpu }";
        if (node is not YamlMappingNode mapping || mapping.Children.Count == 0)
        {
            throw yaml.Mismatch(node, path, Expected);
        }

        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((YamlNode keyNode, YamlNode valueNode) in mapping.Children)
        {
            string name = yaml.Name(keyNode, path, "an environment variable name");
            if (name.Contains('=', StringComparison.Ordinal))
            {
                throw yaml.Mismatch(keyNode, path, "an environment variable name without '='");
            }

            string field = $"{path}.{name}";
            if (!env.TryAdd(name, yaml.Text(valueNode, field, "a value (quote it to match an empty one)")))
            {
                throw yaml.Error(keyNode, field, "each key at most once", $"{PolicyYaml.Quote(name)} again");
            }
        }

        return env;
    }
}
