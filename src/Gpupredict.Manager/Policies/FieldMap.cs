using YamlDotNet.RepresentationModel;

namespace Gpupredict.Manager.Policies;

/// <summary>
/// A YAML mapping checked against the keys its schema allows: every key is a known name, given once.
/// Values are looked up by key; <see cref="PathOf"/> names a key's field in error messages.
/// </summary>
internal sealed class FieldMap
{
    private readonly Dictionary<string, YamlNode> _values = new(StringComparer.Ordinal);

    private FieldMap(YamlMappingNode node, string path)
    {
        Node = node;
        Path = path;
    }

    /// <summary>The mapping itself.</summary>
    public YamlMappingNode Node { get; }

    /// <summary>The mapping's field path; empty for the document root.</summary>
    public string Path { get; }

    /// <summary>Whether the mapping has no keys.</summary>
    public bool IsEmpty => _values.Count == 0;

    /// <summary>The value under <paramref name="key"/>, or null when the key is absent.</summary>
    public YamlNode? this[string key] => _values.GetValueOrDefault(key);

    /// <summary>Checks <paramref name="node"/> and wraps it.</summary>
    /// <exception cref="PolicyFormatException">It is not a mapping, or has a key not in <paramref name="allowedKeys"/>, or a key twice.</exception>
    public static FieldMap Read(PolicyYaml yaml, YamlNode node, string path, string expected, IReadOnlyList<string> allowedKeys)
    {
        if (node is not YamlMappingNode mapping)
        {
            throw yaml.Mismatch(node, path, expected);
        }

        var map = new FieldMap(mapping, path);
        foreach ((YamlNode keyNode, YamlNode value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: string key } || PolicyYaml.IsNull(keyNode))
            {
                throw yaml.Mismatch(keyNode, path, $"a key name, one of {string.Join(", ", allowedKeys)}");
            }

            if (!allowedKeys.Contains(key, StringComparer.Ordinal))
            {
                string allowed = allowedKeys.Count == 1 ? $"the key {allowedKeys[0]}" : $"one of the keys {string.Join(", ", allowedKeys)}";
                throw yaml.Error(keyNode, map.PathOf(key), allowed, $"unknown key {PolicyYaml.Quote(key)}");
            }

            if (!map._values.TryAdd(key, value))
            {
                throw yaml.Error(keyNode, map.PathOf(key), "each key at most once", $"{PolicyYaml.Quote(key)} again");
            }
        }

        return map;
    }

    /// <summary>The field path of <paramref name="key"/> inside this mapping.</summary>
    public string PathOf(string key) => Path.Length == 0 ? key : $"{Path}.{key}";
}
