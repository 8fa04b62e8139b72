using YamlDotNet.RepresentationModel;

namespace Gpupredict.Manager.Policies;

/// <summary>Reads the <c>node:</c> section; every key is optional and falls back to <see cref="NodePolicy.Default"/>.</summary>
internal static class NodePolicyReader
{
    private static readonly string[] NodeKeys = ["reserve", "oversubscription", "suspend", "migration", "mps", "work_conserving", "upper_quantile"];
    private static readonly string[] OversubscriptionKeys = ["enabled", "quantile", "max_factor"];
    private static readonly string[] SuspendKeys = ["enabled", "idle_after", "restore_lead"];
    private static readonly string[] MigrationKeys = ["enabled", "max_pause", "min_gain"];
    private static readonly string[] MpsKeys = ["enabled", "repartition_points"];

    /// <summary>The largest VRAM reserve, in bytes (exclusive): 1 TiB, above any GPU's memory; a reserve this large is a typo.</summary>
    public const ulong MaxReserveVramBytes = 1UL << 40;

    /// <summary>The largest <c>oversubscription.max_factor</c>: quotas at ten times a GPU are already a claim on nothing.</summary>
    public const double MaxOversubscriptionFactor = 10;

    /// <summary>The node policy; <see cref="NodePolicy.Default"/> when the section is absent.</summary>
    public static NodePolicy Read(PolicyYaml yaml, YamlNode? node, string path)
    {
        if (node is null)
        {
            return NodePolicy.Default;
        }

        FieldMap map = FieldMap.Read(yaml, node, path, $"a mapping with keys {string.Join(", ", NodeKeys)}", NodeKeys);
        ResourceLimits reserve = map["reserve"] is YamlNode r ? ReadReserve(yaml, r, map.PathOf("reserve")) : ResourceLimits.Zero;
        return new NodePolicy(
            reserve,
            ReadOversubscription(yaml, map["oversubscription"], map.PathOf("oversubscription")),
            ReadSuspend(yaml, map["suspend"], map.PathOf("suspend")),
            ReadMigration(yaml, map["migration"], map.PathOf("migration")),
            ReadMps(yaml, map["mps"], map.PathOf("mps")),
            map["work_conserving"] is YamlNode w ? yaml.Bool(w, map.PathOf("work_conserving")) : NodePolicy.Default.WorkConserving,
            map["upper_quantile"] is YamlNode q ? ReadUpperQuantile(yaml, q, map.PathOf("upper_quantile")) : NodePolicy.Default.UpperQuantile);
    }

    /// <summary>
    /// <c>reserve</c>: it must leave something of every GPU to grant. A share of all SMs, or memory at
    /// or above <see cref="MaxReserveVramBytes"/> (or, when the node is known, above its smallest
    /// GPU's memory), would leave the planner dividing by nothing.
    /// </summary>
    private static ResourceLimits ReadReserve(PolicyYaml yaml, YamlNode node, string path)
    {
        ResourceLimits reserve = LimitsReader.Read(yaml, node, path, ResourceLimits.Zero);
        var mapping = (YamlMappingNode)node;
        if (reserve.SmShare >= 1)
        {
            YamlNode sm = PolicyYaml.ValueOf(mapping, "sm")!;
            throw yaml.Mismatch(sm, $"{path}.sm", "a reserve share in [0, 1) (a reserve of every SM leaves nothing to grant)");
        }

        ulong bound = Math.Min(MaxReserveVramBytes, yaml.SmallestGpuVramBytes ?? ulong.MaxValue);
        if (reserve.VramBytes >= bound)
        {
            YamlNode vram = PolicyYaml.ValueOf(mapping, "vram")!;
            string what = yaml.SmallestGpuVramBytes is ulong gpu && gpu <= MaxReserveVramBytes
                ? $"a reserve below the smallest GPU's memory {PolicyValues.FormatSize(gpu)}"
                : $"a reserve below {PolicyValues.FormatSize(MaxReserveVramBytes)}";
            throw yaml.Mismatch(vram, $"{path}.vram", what);
        }

        return reserve;
    }

    /// <summary><c>upper_quantile</c>: a level in [<see cref="NodePolicy.MinUpperQuantile"/>, <see cref="NodePolicy.MaxUpperQuantile"/>].</summary>
    private static double ReadUpperQuantile(PolicyYaml yaml, YamlNode node, string path) =>
        yaml.Number(node, path, "a quantile level in [0.5, 0.999]", static v => v is >= NodePolicy.MinUpperQuantile and <= NodePolicy.MaxUpperQuantile);

    private static OversubscriptionPolicy ReadOversubscription(PolicyYaml yaml, YamlNode? node, string path) =>
        Section(yaml, node, path, OversubscriptionKeys, OversubscriptionPolicy.Default, (map, d) =>
            new OversubscriptionPolicy(
                map["enabled"] is YamlNode e ? yaml.Bool(e, map.PathOf("enabled")) : d.Enabled,
                map["quantile"] is YamlNode q ? yaml.Number(q, map.PathOf("quantile"), "a quantile level in (0.5, 1)", static v => v is > 0.5 and < 1) : d.Quantile,
                map["max_factor"] is YamlNode f ? yaml.Number(f, map.PathOf("max_factor"), "a factor in [1, 10]", static v => v is >= 1 and <= MaxOversubscriptionFactor) : d.MaxFactor));

    private static SuspendPolicy ReadSuspend(PolicyYaml yaml, YamlNode? node, string path) =>
        Section(yaml, node, path, SuspendKeys, SuspendPolicy.Default, (map, d) =>
            new SuspendPolicy(
                map["enabled"] is YamlNode e ? yaml.Bool(e, map.PathOf("enabled")) : d.Enabled,
                map["idle_after"] is YamlNode i ? yaml.Duration(i, map.PathOf("idle_after")) : d.IdleAfter,
                map["restore_lead"] is YamlNode l ? yaml.Duration(l, map.PathOf("restore_lead")) : d.RestoreLead));

    private static MigrationPolicy ReadMigration(PolicyYaml yaml, YamlNode? node, string path) =>
        Section(yaml, node, path, MigrationKeys, MigrationPolicy.Default, (map, d) =>
            new MigrationPolicy(
                map["enabled"] is YamlNode e ? yaml.Bool(e, map.PathOf("enabled")) : d.Enabled,
                map["max_pause"] is YamlNode p ? yaml.Duration(p, map.PathOf("max_pause")) : d.MaxPause,
                map["min_gain"] is YamlNode g ? yaml.Number(g, map.PathOf("min_gain"), "a fraction in [0, 1]", static v => v is >= 0 and <= 1) : d.MinGain));

    private static MpsPolicy ReadMps(PolicyYaml yaml, YamlNode? node, string path) =>
        Section(yaml, node, path, MpsKeys, MpsPolicy.Default, (map, d) =>
            new MpsPolicy(
                map["enabled"] is YamlNode e ? yaml.Bool(e, map.PathOf("enabled")) : d.Enabled,
                map["repartition_points"] is YamlNode r
                    ? (int)yaml.Number(r, map.PathOf("repartition_points"), "a whole number of percentage points, 1..100", static v => v is >= 1 and <= 100 && v == Math.Floor(v))
                    : d.RepartitionPoints));

    /// <summary>An optional sub-section: <paramref name="fallback"/> when absent, else read from its fields (only <paramref name="keys"/> allowed).</summary>
    private static T Section<T>(PolicyYaml yaml, YamlNode? node, string path, string[] keys, T fallback, Func<FieldMap, T, T> read) =>
        node is null ? fallback : read(FieldMap.Read(yaml, node, path, $"a mapping with keys {string.Join(", ", keys)}", keys), fallback);
}
