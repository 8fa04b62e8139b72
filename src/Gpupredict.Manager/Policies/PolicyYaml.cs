using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Gpupredict.Manager.Policies;

/// <summary>
/// Reads typed values out of YAML nodes of one policy file; every failure becomes a
/// <see cref="PolicyFormatException"/> at the node's line and column.
/// </summary>
/// <param name="source">The file's name as given to the loader.</param>
/// <param name="smallestGpuVramBytes">The memory of the node's smallest GPU in bytes, when the policy is checked against a node; null otherwise.</param>
internal sealed class PolicyYaml(string source, ulong? smallestGpuVramBytes = null)
{
    /// <summary>The expected text for sizes, shared with tests.</summary>
    public const string SizeExpected = "a size such as 8GiB";

    /// <summary>The expected text for durations.</summary>
    public const string DurationExpected = "a duration such as 500ms, 30s, 5m or 1h";

    /// <summary>The expected text for SM shares.</summary>
    public const string ShareExpected = "an SM share in [0, 1] or a percentage such as 25%";

    private const int MaxQuoted = 60;

    /// <summary>The file's name as given to the loader.</summary>
    public string Source => source;

    /// <summary>The memory of the node's smallest GPU in bytes, when known.</summary>
    public ulong? SmallestGpuVramBytes => smallestGpuVramBytes;

    /// <summary>An error at <paramref name="node"/>.</summary>
    public PolicyFormatException Error(YamlNode node, string field, string expected, string found) =>
        Error(node.Start, field, expected, found);

    /// <summary>An error at a position.</summary>
    public PolicyFormatException Error(Mark at, string field, string expected, string found, Exception? inner = null) =>
        new(source, checked((int)at.Line), checked((int)at.Column), field, expected, found, inner);

    /// <summary>An error at <paramref name="node"/> that describes what the node holds.</summary>
    public PolicyFormatException Mismatch(YamlNode node, string field, string expected) => Error(node, field, expected, Describe(node));

    /// <summary>Says what a node holds, for "found ...": quoted text, "nothing", "a mapping" or "a list".</summary>
    public static string Describe(YamlNode node) => node switch
    {
        _ when IsNull(node) => "nothing",
        YamlScalarNode scalar => Quote(scalar.Value ?? string.Empty),
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        _ => "an alias",
    };

    /// <summary>True for an empty value or a plain <c>~</c> / <c>null</c>.</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    /// <summary>Text in double quotes, with quotes, backslashes and control characters escaped and long text cut.</summary>
    public static string Quote(string text)
    {
        var sb = new StringBuilder(text.Length + 2).Append('"');
        foreach (char c in text.Length > MaxQuoted ? text[..MaxQuoted] : text)
        {
            _ = c switch
            {
                '"' or '\\' => sb.Append('\\').Append(c),
                '\n' => sb.Append("\\n"),
                '\t' => sb.Append("\\t"),
                _ when char.IsControl(c) => sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => sb.Append(c),
            };
        }

        return sb.Append(text.Length > MaxQuoted ? "...\"" : "\"").ToString();
    }

    /// <summary>The value under the plain-text key <paramref name="key"/>, whatever the key's tag or quoting; null when absent.</summary>
    public static YamlNode? ValueOf(YamlMappingNode mapping, string key)
    {
        foreach ((YamlNode k, YamlNode value) in mapping.Children)
        {
            if (k is YamlScalarNode { Value: string text } && string.Equals(text, key, StringComparison.Ordinal))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>The text of a non-null scalar.</summary>
    public string Text(YamlNode node, string field, string expected) =>
        node is YamlScalarNode { Value: string text } && !IsNull(node) ? text : throw Mismatch(node, field, expected);

    /// <summary>A non-empty string.</summary>
    public string Name(YamlNode node, string field, string expected)
    {
        string text = Text(node, field, expected);
        return text.Trim().Length > 0 ? text : throw Mismatch(node, field, expected);
    }

    /// <summary>A boolean: <c>true</c> or <c>false</c>.</summary>
    public bool Bool(YamlNode node, string field) => Text(node, field, "true or false") switch
    {
        "true" or "True" or "TRUE" => true,
        "false" or "False" or "FALSE" => false,
        _ => throw Mismatch(node, field, "true or false"),
    };

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public long Integer(YamlNode node, string field, long min, long max)
    {
        string expected = $"an integer in [{min}, {max}]";
        string text = Text(node, field, expected);
        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) && value >= min && value <= max
            ? value
            : throw Mismatch(node, field, expected);
    }

    /// <summary>A decimal number for which <paramref name="inRange"/> holds; <paramref name="expected"/> states the range.</summary>
    public double Number(YamlNode node, string field, string expected, Func<double, bool> inRange)
    {
        string text = Text(node, field, expected);
        return PolicyValues.TryParseNumber(text.Trim(), out double value) && inRange(value) ? value : throw Mismatch(node, field, expected);
    }

    /// <summary>A size in bytes.</summary>
    public ulong Size(YamlNode node, string field) => PolicyValues.ParseSize(Text(node, field, SizeExpected), out ulong bytes) switch
    {
        ParseOutcome.Ok => bytes,
        ParseOutcome.TooLarge => throw Mismatch(node, field, "a size of at most 1048576TiB (2^60 bytes)"),
        _ => throw Mismatch(node, field, SizeExpected),
    };

    /// <summary>A duration.</summary>
    public TimeSpan Duration(YamlNode node, string field) => PolicyValues.ParseDuration(Text(node, field, DurationExpected), out TimeSpan duration) switch
    {
        ParseOutcome.Ok => duration,
        ParseOutcome.TooLarge => throw Mismatch(node, field, "a duration of at most 10675199 days"),
        _ => throw Mismatch(node, field, DurationExpected),
    };

    /// <summary>An SM share in [0, 1].</summary>
    public double Share(YamlNode node, string field) =>
        PolicyValues.TryParseShare(Text(node, field, ShareExpected), out double share) ? share : throw Mismatch(node, field, ShareExpected);

    /// <summary>One of a fixed set of words.</summary>
    public T Choice<T>(YamlNode node, string field, IReadOnlyDictionary<string, T> choices)
    {
        string expected = $"one of {string.Join(", ", choices.Keys)}";
        return choices.TryGetValue(Text(node, field, expected), out T? value) ? value : throw Mismatch(node, field, expected);
    }
}
