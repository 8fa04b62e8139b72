using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Gpupredict.Daemon.Config;

/// <summary>
/// Reads <c>gpupredictd.yaml</c>: one flat mapping of known keys to scalars (docs/daemon.md). It walks
/// the parser's events once, so the work is linear in the file whatever it holds: anchors, aliases,
/// tags, nested values and unknown or repeated keys are refused with their position
/// (<see cref="ConfigFormatException"/>), as is a file over <see cref="MaxBytes"/>.
/// </summary>
public static class DaemonConfigLoader
{
    /// <summary>The largest configuration accepted, in bytes.</summary>
    public const int MaxBytes = 64 * 1024;

    /// <summary>Every key, in documentation order.</summary>
    public static IReadOnlyList<string> Keys { get; } =
    [
        "runtime_dir", "socket", "policies", "forecaster", "model", "horizon", "step", "gpus", "ring_slots",
        "max_events_per_step", "max_applications", "max_per_user", "status_file", "status_interval", "shutdown_timeout",
    ];

    /// <summary>The configuration at <paramref name="path"/>; the defaults when <paramref name="path"/> is the default path and no file is there.</summary>
    /// <exception cref="ConfigFormatException">The file is unreadable, too large, or not a valid configuration.</exception>
    public static DaemonConfig Load(string path, bool optional)
    {
        if (optional && !File.Exists(path))
        {
            return new DaemonConfig();
        }

        string text;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                throw new ConfigFormatException(path, 0, 0, string.Empty, "a readable file", "no such file");
            }

            if (info.Length > MaxBytes)
            {
                throw new ConfigFormatException(path, 0, 0, string.Empty, $"at most {MaxBytes} bytes", $"{info.Length} bytes");
            }

            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigFormatException(path, 0, 0, string.Empty, "a readable file", e.Message);
        }

        return Parse(text, path);
    }

    /// <summary>Parses configuration text named <paramref name="source"/> in messages.</summary>
    /// <exception cref="ConfigFormatException">It is not a valid configuration.</exception>
    public static DaemonConfig Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxBytes)
        {
            throw new ConfigFormatException(source, 0, 0, string.Empty, $"at most {MaxBytes} bytes", $"{text.Length} characters");
        }

        var config = new DaemonConfig { Source = source };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var parser = new Parser(new StringReader(text));
        try
        {
            Expect<StreamStart>(parser, source, "the start of the file");
            if (parser.Accept<StreamEnd>(out _))
            {
                return config; // an empty file: the defaults
            }

            Expect<DocumentStart>(parser, source, "a document");
            if (parser.TryConsume<Scalar>(out Scalar? empty) && empty.Value.Length == 0)
            {
                Expect<DocumentEnd>(parser, source, "the end of the document");
                return config; // a document of comments only
            }

            MappingStart map = Expect<MappingStart>(parser, source, "a mapping of keys such as runtime_dir: /run/gpupredictd");
            RefuseAnchor(map, source, string.Empty);
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                Scalar key = Expect<Scalar>(parser, source, $"a key, one of {string.Join(", ", Keys)}");
                RefuseAnchor(key, source, key.Value);
                if (!Keys.Contains(key.Value, StringComparer.Ordinal))
                {
                    throw new ConfigFormatException(source, key.Start.Line, key.Start.Column, key.Value, $"one of the keys {string.Join(", ", Keys)}", $"unknown key '{key.Value}'");
                }

                if (!seen.Add(key.Value))
                {
                    throw new ConfigFormatException(source, key.Start.Line, key.Start.Column, key.Value, "each key at most once", $"'{key.Value}' again");
                }

                Scalar value = Expect<Scalar>(parser, source, $"a plain value for {key.Value}", key.Value);
                RefuseAnchor(value, source, key.Value);
                config = Apply(config, key.Value, value, source);
            }

            Expect<DocumentEnd>(parser, source, "one document");
            if (!parser.Accept<StreamEnd>(out _))
            {
                Mark at = parser.Current?.Start ?? Mark.Empty;
                throw new ConfigFormatException(source, at.Line, at.Column, string.Empty, "one document", "a second document");
            }
        }
        catch (YamlException e)
        {
            throw new ConfigFormatException(source, e.Start.Line, e.Start.Column, string.Empty, "valid YAML", e.Message);
        }

        return config;
    }

    private static T Expect<T>(Parser parser, string source, string expected, string field = "")
        where T : ParsingEvent
    {
        if (parser.TryConsume<T>(out T? found) && found is not null)
        {
            return found;
        }

        ParsingEvent? current = parser.Current;
        Mark at = current?.Start ?? Mark.Empty;
        string what = current switch
        {
            AnchorAlias a => $"the alias *{a.Value} (aliases are not accepted)",
            MappingStart => "a mapping",
            SequenceStart => "a list",
            Scalar s => $"'{s.Value}'",
            null => "the end of the file",
            _ => current.GetType().Name,
        };
        throw new ConfigFormatException(source, at.Line, at.Column, field, expected, what);
    }

    private static void RefuseAnchor(NodeEvent node, string source, string field)
    {
        if (!node.Anchor.IsEmpty)
        {
            throw new ConfigFormatException(source, node.Start.Line, node.Start.Column, field, "no anchors (&) or aliases (*)", $"the anchor &{node.Anchor.Value}");
        }

        if (!node.Tag.IsEmpty)
        {
            throw new ConfigFormatException(source, node.Start.Line, node.Start.Column, field, "a plain value without a tag", $"the tag {node.Tag.Value}");
        }
    }

    private static DaemonConfig Apply(DaemonConfig c, string key, Scalar v, string source)
    {
        string text = v.Value;
        ConfigFormatException Bad(string expected) => new(source, v.Start.Line, v.Start.Column, key, expected, text.Length == 0 ? "nothing" : $"'{text}'");
        string AbsolutePath() => Path.IsPathFullyQualified(text) ? text : throw Bad("an absolute path");
        int Int(int min, int max) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= min && n <= max ? n : throw Bad($"a whole number in [{min}, {max}]");
        TimeSpan Duration(TimeSpan min, TimeSpan max) => TryDuration(text, out TimeSpan d) && d >= min && d <= max ? d : throw Bad($"a duration such as 10ms or 2s, in [{min.TotalMilliseconds} ms, {max.TotalSeconds} s]");
        return key switch
        {
            "runtime_dir" => c with { RuntimeDirectory = AbsolutePath() },
            "socket" => c with { Socket = AbsolutePath().Length <= 107 ? text : throw Bad("a socket path of at most 107 bytes") },
            "policies" => c with { Policies = AbsolutePath() },
            "forecaster" => c with { Forecaster = text.Length > 0 ? text : throw Bad("a forecaster name such as ewma") },
            "model" => c with { Model = AbsolutePath() },
            "horizon" => c with { Horizon = Int(1, 1000) },
            "step" => c with { Step = Duration(TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(60)) },
            "gpus" => c with { Gpus = text.Length > 0 ? text : throw Bad("auto, or GPUs such as 4 x H100 80GB") },
            "ring_slots" => c with { RingSlots = Int(64, 1 << 22) is int s && (s & (s - 1)) == 0 ? (uint)s : throw Bad("a power of two in [64, 4194304]") },
            "max_events_per_step" => c with { MaxEventsPerStep = Int(1, 1 << 24) },
            "max_applications" => c with { MaxApplications = Int(1, 65536) },
            "max_per_user" => c with { MaxPerUser = Int(1, 65536) },
            "status_file" => c with { StatusFile = text == "none" ? text : AbsolutePath() },
            "status_interval" => c with { StatusInterval = Duration(TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10)) },
            "shutdown_timeout" => c with { ShutdownTimeout = Duration(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(60)) },
            _ => throw Bad("a known key"),
        };
    }

    /// <summary>Parses "10ms", "2s", "1.5s", "5m".</summary>
    internal static bool TryDuration(string text, out TimeSpan duration)
    {
        duration = default;
        (string unit, double scale) = text.EndsWith("ms", StringComparison.Ordinal) ? ("ms", 1e-3)
            : text.EndsWith("us", StringComparison.Ordinal) ? ("us", 1e-6)
            : text.EndsWith('s') ? ("s", 1.0)
            : text.EndsWith('m') ? ("m", 60.0)
            : (string.Empty, 0);
        if (scale == 0 || !double.TryParse(text[..^unit.Length], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double n) || !double.IsFinite(n))
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(n * scale);
        return true;
    }
}
