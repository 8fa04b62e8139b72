using Gpupredict.Core.Apps;
using YamlDotNet.RepresentationModel;

namespace Gpupredict.Manager.Policies;

/// <summary>
/// Reads what a rule or the <c>default:</c> section grants: class, weight, floor, ceiling and the
/// suspend / migrate permissions. Keys left out take the documented defaults.
/// </summary>
internal static class AppPolicyReader
{
    /// <summary>The keys both a rule and the default section may carry.</summary>
    public static readonly string[] PolicyKeys = ["class", "weight", "floor", "ceiling", "suspend", "migrate"];

    private static readonly Dictionary<string, PriorityClass> Classes = new(StringComparer.Ordinal)
    {
        ["guaranteed"] = PriorityClass.Guaranteed,
        ["burstable"] = PriorityClass.Burstable,
        ["best-effort"] = PriorityClass.BestEffort,
    };

    private static readonly Dictionary<string, bool> Permissions = new(StringComparer.Ordinal)
    {
        ["allowed"] = true,
        ["never"] = false,
    };

    /// <summary>Reads the policy keys of <paramref name="map"/> (its other keys were checked by the caller).</summary>
    public static AppPolicy Read(PolicyYaml yaml, FieldMap map, string ruleName)
    {
        PriorityClass priorityClass = map["class"] is YamlNode c ? yaml.Choice(c, map.PathOf("class"), Classes) : Priority.Default.Class;
        int weight = map["weight"] is YamlNode w ? (int)yaml.Integer(w, map.PathOf("weight"), 0, Priority.MaxWeight) : Priority.Default.Weight;
        ResourceLimits floor = map["floor"] is YamlNode f ? LimitsReader.Read(yaml, f, map.PathOf("floor"), ResourceLimits.Zero) : ResourceLimits.Zero;
        ResourceLimits? ceiling = map["ceiling"] is YamlNode cl ? LimitsReader.Read(yaml, cl, map.PathOf("ceiling"), ResourceLimits.WholeGpu) : null;
        if (ceiling is not null)
        {
            CheckFloorBelowCeiling(yaml, map, floor, ceiling);
        }

        bool maySuspend = map["suspend"] is YamlNode s ? yaml.Choice(s, map.PathOf("suspend"), Permissions) : AppPolicy.DefaultMaySuspend(priorityClass);
        bool mayMigrate = map["migrate"] is not YamlNode m || yaml.Choice(m, map.PathOf("migrate"), Permissions);
        return new AppPolicy(ruleName, new Priority(priorityClass, weight), floor, ceiling, maySuspend, mayMigrate);
    }

    private static void CheckFloorBelowCeiling(PolicyYaml yaml, FieldMap map, ResourceLimits floor, ResourceLimits ceiling)
    {
        // Only a floor given explicitly can exceed the ceiling (the default floor is zero), so the
        // floor's own node is there to point at.
        var floorMap = (YamlMappingNode)map["floor"]!;
        string path = map.PathOf("floor");
        if (floor.VramBytes > ceiling.VramBytes)
        {
            YamlNode node = PolicyYaml.ValueOf(floorMap, "vram")!;
            throw yaml.Error(node, $"{path}.vram", $"a floor at most the ceiling's vram {PolicyValues.FormatSize(ceiling.VramBytes)}", PolicyYaml.Describe(node));
        }

        if (floor.SmShare > ceiling.SmShare)
        {
            YamlNode node = PolicyYaml.ValueOf(floorMap, "sm")!;
            throw yaml.Error(node, $"{path}.sm", $"a floor at most the ceiling's sm {ceiling.SmShare:0.###}", PolicyYaml.Describe(node));
        }
    }
}
