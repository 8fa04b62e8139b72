using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Gpupredict.Manager.Policies;

/// <summary>
/// Loads and validates policy files (schema version 1; see <c>policies/README.md</c>). For bad input
/// it throws only <see cref="PolicyFormatException"/>, whose message names the file, line, column and
/// field, what was expected and what was found. What loads but looks wrong comes back in
/// <see cref="PolicySet.Warnings"/>.
/// </summary>
public static class PolicyLoader
{
    /// <summary>The largest policy file accepted, in bytes (1 MiB).</summary>
    public const int MaxBytes = 1 << 20;

    private static readonly string[] RootKeys = ["version", "node", "default", "rules"];
    private static readonly string[] DefaultKeys = AppPolicyReader.PolicyKeys;
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads and validates the policy file at <paramref name="path"/>.</summary>
    /// <param name="path">A regular file of at most <see cref="MaxBytes"/> bytes of UTF-8; also the set's <see cref="PolicySet.Source"/>.</param>
    /// <exception cref="PolicyFormatException">The file is missing, not a regular file, too large, unreadable, or not a valid policy.</exception>
    public static PolicySet Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(ReadText(path), path);
    }

    /// <summary>
    /// Reads and validates the policy file at <paramref name="path"/> for a node whose smallest GPU
    /// has <paramref name="smallestGpuVramBytes"/> bytes of memory: as <see cref="Load(string)"/>, and
    /// <c>node.reserve.vram</c> must also be below that.
    /// </summary>
    /// <param name="path">As for <see cref="Load(string)"/>.</param>
    /// <param name="smallestGpuVramBytes">The memory of the node's smallest GPU, bytes, ≥ 1.</param>
    /// <exception cref="PolicyFormatException">As for <see cref="Load(string)"/>, or the reserve leaves nothing of the smallest GPU.</exception>
    public static PolicySet Load(string path, ulong smallestGpuVramBytes)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(ReadText(path), path, smallestGpuVramBytes);
    }

    /// <summary>Validates policy text.</summary>
    /// <param name="yamlText">The YAML, at most <see cref="MaxBytes"/> bytes as UTF-8.</param>
    /// <param name="sourceName">Names the text in error messages and in <see cref="PolicySet.Source"/>.</param>
    /// <exception cref="PolicyFormatException">The text is too large, not YAML, or breaks the schema.</exception>
    public static PolicySet Parse(string yamlText, string sourceName) => ParseFor(yamlText, sourceName, null);

    /// <summary>Validates policy text for a node whose smallest GPU has <paramref name="smallestGpuVramBytes"/> bytes of memory (see <see cref="Load(string, ulong)"/>).</summary>
    /// <param name="yamlText">As for <see cref="Parse(string, string)"/>.</param>
    /// <param name="sourceName">As for <see cref="Parse(string, string)"/>.</param>
    /// <param name="smallestGpuVramBytes">The memory of the node's smallest GPU, bytes, ≥ 1.</param>
    /// <exception cref="PolicyFormatException">As for <see cref="Parse(string, string)"/>, or the reserve leaves nothing of the smallest GPU.</exception>
    public static PolicySet Parse(string yamlText, string sourceName, ulong smallestGpuVramBytes)
    {
        ArgumentOutOfRangeException.ThrowIfZero(smallestGpuVramBytes);
        return ParseFor(yamlText, sourceName, smallestGpuVramBytes);
    }

    private static PolicySet ParseFor(string yamlText, string sourceName, ulong? smallestGpuVramBytes)
    {
        ArgumentNullException.ThrowIfNull(yamlText);
        ArgumentNullException.ThrowIfNull(sourceName);
        var yaml = new PolicyYaml(sourceName, smallestGpuVramBytes);
        int bytes = Encoding.UTF8.GetByteCount(yamlText);
        if (bytes > MaxBytes)
        {
            throw new PolicyFormatException(sourceName, 0, 0, string.Empty, "a policy of at most 1 MiB", $"{bytes} bytes");
        }

        YamlNode root = LoadSingleDocument(yaml, yamlText);
        return Read(yaml, root);
    }

    private static PolicySet Read(PolicyYaml yaml, YamlNode root)
    {
        const string Expected = "a mapping with version: 1 and optionally node, default, rules";
        YamlMappingNode mapping = root as YamlMappingNode ?? throw yaml.Mismatch(root, string.Empty, Expected);

        // The version first: a file written for another version should hear that, not about its keys.
        YamlNode? versionNode = PolicyYaml.ValueOf(mapping, "version");
        if (versionNode is null)
        {
            throw yaml.Error(root, "version", $"version: {PolicySet.CurrentVersion} (supported versions: {PolicySet.CurrentVersion})", "no version key");
        }

        if (!string.Equals(yaml.Text(versionNode, "version", "a version number"), $"{PolicySet.CurrentVersion}", StringComparison.Ordinal))
        {
            throw yaml.Mismatch(versionNode, "version", $"a supported version (supported versions: {PolicySet.CurrentVersion})");
        }

        FieldMap map = FieldMap.Read(yaml, root, string.Empty, Expected, RootKeys);
        NodePolicy node = NodePolicyReader.Read(yaml, map["node"], "node");
        AppPolicy fallback = map["default"] is YamlNode d
            ? AppPolicyReader.Read(yaml, FieldMap.Read(yaml, d, "default", $"a mapping with keys {string.Join(", ", DefaultKeys)}", DefaultKeys), AppPolicy.DefaultRuleName)
            : AppPolicy.Default;
        var warnings = new List<PolicyWarning>();
        List<PolicyRule> rules = ReadRules(yaml, map["rules"], fallback, warnings);
        return new PolicySet(PolicySet.CurrentVersion, node, fallback, rules, yaml.Source) { Warnings = warnings };
    }

    private static List<PolicyRule> ReadRules(PolicyYaml yaml, YamlNode? node, AppPolicy fallback, List<PolicyWarning> warnings)
    {
        var rules = new List<PolicyRule>();
        if (node is null || PolicyYaml.IsNull(node))
        {
            return rules;
        }

        if (node is not YamlSequenceNode sequence)
        {
            throw yaml.Mismatch(node, "rules", "a list of rules, each starting with \"- name:\"");
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < sequence.Children.Count; i++)
        {
            string path = $"rules[{i}]";
            PolicyRule rule = RuleReader.Read(yaml, sequence.Children[i], path);
            if (!seen.TryAdd(rule.Name, i))
            {
                YamlNode nameNode = PolicyYaml.ValueOf((YamlMappingNode)sequence.Children[i], "name")!;
                throw yaml.Error(nameNode, $"{path}.name", $"a rule name not used before (rules[{seen[rule.Name]}] has it)", PolicyYaml.Quote(rule.Name));
            }

            rules.Add(rule);
            if (RuleTrust.Check(yaml, rule, (YamlMappingNode)sequence.Children[i], path, fallback) is PolicyWarning warning)
            {
                warnings.Add(warning);
            }
        }

        return rules;
    }

    private static YamlNode LoadSingleDocument(PolicyYaml yaml, string text)
    {
        var stream = new YamlStream();
        try
        {
            YamlPreflight.Check(yaml, text);
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            // End is where the scanner stopped; Start is where the construct it was reading began
            // (for a tab in indentation, the enclosing mapping), which misleads.
            throw yaml.Error(TabIndentAt(text, e) ?? e.End, string.Empty, "well-formed YAML", PolicyYaml.Quote(Describe(e)), e);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // The representation model throws these, with no position, on event sequences the
            // preflight let through; none is known, but a bad file must still read as one.
            throw new PolicyFormatException(yaml.Source, 0, 0, string.Empty, "well-formed YAML", PolicyYaml.Quote(e.Message), e);
        }

        if (stream.Documents.Count == 0)
        {
            throw new PolicyFormatException(yaml.Source, 1, 1, string.Empty, "a mapping with version: 1", "an empty document");
        }

        if (stream.Documents.Count > 1)
        {
            throw yaml.Error(stream.Documents[1].RootNode, string.Empty, "a single YAML document", "a second document");
        }

        return stream.Documents[0].RootNode;
    }

    /// <summary>
    /// For YamlDotNet's "found invalid tab as indentation", which points at the enclosing mapping:
    /// the first tab in a line's indentation at or after that point.
    /// </summary>
    private static Mark? TabIndentAt(string text, YamlException e)
    {
        if (!e.Message.Contains("tab", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        string[] lines = text.Split('\n');
        for (long line = Math.Max(e.Start.Line, 1); line <= lines.Length; line++)
        {
            string content = lines[line - 1];
            int indent = content.Length - content.TrimStart(' ', '\t').Length;
            int tab = content.IndexOf('\t', 0, indent);
            if (tab >= 0)
            {
                return new Mark(0, line, tab + 1);
            }
        }

        return null;
    }

    /// <summary>YamlDotNet's message without the position prefix it puts in front: "(Line: 3, Col: 1, Idx: 20) - (...): ".</summary>
    private static string Describe(YamlException e)
    {
        string message = e.Message;
        int cut = message.StartsWith("(Line:", StringComparison.Ordinal) ? message.IndexOf("): ", StringComparison.Ordinal) : -1;
        return cut >= 0 ? message[(cut + 3)..] : message;
    }

    private static string ReadText(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                throw new PolicyFormatException(path, 0, 0, string.Empty, "a regular file", "a directory");
            }

            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new PolicyFormatException(path, 0, 0, string.Empty, "an existing policy file", "no such file");
            }

            // FIFOs, devices and /proc files report size 0; refusing them here also keeps the read
            // below from blocking on a FIFO that has no writer.
            if (info.Length == 0)
            {
                throw new PolicyFormatException(path, 0, 0, string.Empty, "a regular file with a version: 1 policy", "an empty or special file");
            }

            if (info.Length > MaxBytes)
            {
                throw new PolicyFormatException(path, 0, 0, string.Empty, "a policy file of at most 1 MiB", $"{info.Length} bytes");
            }

            return ReadBounded(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or DecoderFallbackException)
        {
            string found = e is DecoderFallbackException ? "bytes that are not UTF-8" : PolicyYaml.Quote(e.Message);
            throw new PolicyFormatException(path, 0, 0, string.Empty, "a readable UTF-8 policy file", found, e);
        }
    }

    private static string ReadBounded(string path)
    {
        // The file may grow between the size check and the read; never read more than the limit.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        byte[] buffer = new byte[MaxBytes + 1];
        int total = 0;
        int read;
        while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0)
        {
            total += read;
        }

        if (total > MaxBytes)
        {
            throw new PolicyFormatException(path, 0, 0, string.Empty, "a policy file of at most 1 MiB", "a file that grew past it while being read");
        }

        ReadOnlySpan<byte> bytes = buffer.AsSpan(0, total);
        if (bytes.StartsWith(Utf8Bom))
        {
            bytes = bytes[Utf8Bom.Length..];
        }

        return StrictUtf8.GetString(bytes);
    }
}
