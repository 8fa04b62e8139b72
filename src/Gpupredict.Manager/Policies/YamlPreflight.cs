using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Gpupredict.Manager.Policies;

/// <summary>
/// A pass over the raw YAML events before the representation model is built. It rejects what that
/// model would report badly or not survive: duplicate keys (the model reports them without the
/// field path) and deep nesting (the model builds nodes recursively; a megabyte of <c>[</c> would
/// overflow the stack, which no catch can handle).
/// </summary>
internal static class YamlPreflight
{
    /// <summary>The deepest nesting of mappings and lists accepted; the schema needs 4.</summary>
    public const int MaxDepth = 32;

    /// <summary>Throws at the first duplicate key or over-deep node; lets YAML syntax errors through as <see cref="YamlException"/>.</summary>
    public static void Check(PolicyYaml yaml, string text)
    {
        var parser = new Parser(new StringReader(text));
        var frames = new Stack<Frame>();
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        Mark lastGood = Mark.Empty;
        while (MoveNext(yaml, parser, lastGood))
        {
            lastGood = parser.Current!.End;
            if (parser.Current is NodeEvent { Anchor.IsEmpty: false } anchored)
            {
                _ = anchors.Add(anchored.Anchor.Value);
            }

            switch (parser.Current)
            {
                case MappingStart or SequenceStart:
                    {
                        string path = Enter(yaml, frames, parser.Current, key: null);
                        if (frames.Count >= MaxDepth)
                        {
                            throw yaml.Error(parser.Current.Start, path, $"at most {MaxDepth} levels of nesting", "deeper nesting");
                        }

                        frames.Push(new Frame(parser.Current is MappingStart, path));
                        break;
                    }

                case MappingEnd or SequenceEnd:
                    frames.Pop();
                    Advance(frames);
                    break;
                case Scalar scalar:
                    _ = Enter(yaml, frames, scalar, scalar.Value);
                    Advance(frames);
                    break;
                case AnchorAlias alias:
                    {
                        // The representation model fails with no position on an alias to nothing.
                        string path = Enter(yaml, frames, alias, key: null);
                        if (!anchors.Contains(alias.Value.Value))
                        {
                            throw yaml.Error(alias.Start, path, "an alias to an anchor defined above (&name)", PolicyYaml.Quote($"*{alias.Value.Value}"));
                        }
                    }

                    Advance(frames);
                    break;
                case DocumentStart:
                    anchors.Clear();
                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>
    /// The next event. YamlDotNet's scanner throws InvalidOperationException, with no position, on
    /// some malformed flow collections; point at the end of the last event it did read instead.
    /// </summary>
    private static bool MoveNext(PolicyYaml yaml, Parser parser, Mark lastGood)
    {
        try
        {
            return parser.MoveNext();
        }
        catch (InvalidOperationException e)
        {
            throw yaml.Error(lastGood, string.Empty, "well-formed YAML", "text the YAML parser cannot read after this point", e);
        }
    }

    /// <summary>The field path of a node that starts now; records it when it is a mapping key.</summary>
    private static string Enter(PolicyYaml yaml, Stack<Frame> frames, ParsingEvent node, string? key)
    {
        if (!frames.TryPeek(out Frame? parent))
        {
            return string.Empty;
        }

        if (!parent.IsMapping)
        {
            return $"{parent.Path}[{parent.Index}]";
        }

        if (!parent.AtKey)
        {
            return Join(parent.Path, parent.Key ?? "?");
        }

        // A non-scalar or alias key is left for the schema check to reject.
        parent.Key = key;
        if (key is not null && !parent.Keys.Add(key))
        {
            throw yaml.Error(node.Start, Join(parent.Path, key), "each key at most once", $"{PolicyYaml.Quote(key)} again");
        }

        return Join(parent.Path, key ?? "?");
    }

    /// <summary>Moves the innermost collection past the node that just ended.</summary>
    private static void Advance(Stack<Frame> frames)
    {
        if (frames.TryPeek(out Frame? parent))
        {
            if (parent.IsMapping)
            {
                parent.AtKey = !parent.AtKey;
            }
            else
            {
                parent.Index++;
            }
        }
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private sealed class Frame(bool isMapping, string path)
    {
        public bool IsMapping { get; } = isMapping;

        public string Path { get; } = path;

        public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);

        public int Index { get; set; }

        public bool AtKey { get; set; } = true;

        public string? Key { get; set; }
    }
}
