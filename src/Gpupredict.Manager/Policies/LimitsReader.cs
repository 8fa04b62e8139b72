using YamlDotNet.RepresentationModel;

namespace Gpupredict.Manager.Policies;

/// <summary>Reads <c>{ vram: SIZE, sm: SHARE }</c> mappings: reserves, floors and ceilings.</summary>
internal static class LimitsReader
{
    private static readonly string[] Keys = ["vram", "sm"];

    /// <summary>The limits; a key left out takes its value from <paramref name="defaults"/>.</summary>
    public static ResourceLimits Read(PolicyYaml yaml, YamlNode node, string path, ResourceLimits defaults)
    {
        FieldMap map = FieldMap.Read(yaml, node, path, "a mapping with keys vram and sm, such as { vram: 8GiB, sm: 0.25 }", Keys);
        return new ResourceLimits(
            map["vram"] is YamlNode v ? yaml.Size(v, map.PathOf("vram")) : defaults.VramBytes,
            map["sm"] is YamlNode s ? yaml.Share(s, map.PathOf("sm")) : defaults.SmShare);
    }
}
