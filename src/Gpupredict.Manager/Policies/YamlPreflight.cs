using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Gpupredict.Manager.Policies;

/// <summary>
/// A pass over the raw YAML events before the representation model is built. It rejects what that
/// model would report badly or not survive: duplicate keys (the model reports them without the
/// field path) and deep nesting (the model builds nodes recursively; a megabyte of <c>[</c> would
/// overflow the stack, which no catch can handle). It also bounds the work aliases can make: a
/// kilobyte of anchors that each alias the one before ten times expands to 10^12 nodes, and the model
/// hashes a mapping key by walking its whole expansion, so one such alias as a key would hang a
/// reload for hours. Aliases of a mapping or list as keys are refused, and so is a document whose
/// nodes, with every alias expanded, number more than <see cref="MaxExpandedNodes"/>.
/// </summary>
internal static class YamlPreflight
{
    /// <summary>The deepest nesting of mappings and lists accepted; the schema needs 4.</summary>
    public const int MaxDepth = 32;

    /// <summary>
    /// The most nodes a document may have with every alias expanded: twice what a 1 MiB file can
    /// hold without aliases (a flow list of one-character items), so only alias expansion reaches it.
    /// </summary>
    public const long MaxExpandedNodes = 1 << 20;

    /// <summary>Throws at the first duplicate key or over-deep node; lets YAML syntax errors through as <see cref="YamlException"/>.</summary>
    public static void Check(PolicyYaml yaml, string text)
    {
        var parser = new Parser(new StringReader(text));
        var frames = new Stack<Frame>();

        // Each anchor's node count with aliases expanded; a collection still open counts 1, since
        // an alias inside its own anchor is a cycle the model never expands.
        var anchors = new Dictionary<string, Anchor>(StringComparer.Ordinal);
        long nodes = 0;
        Mark lastGood = Mark.Empty;
        while (MoveNext(yaml, parser, lastGood))
        {
            lastGood = parser.Current!.End;
            switch (parser.Current)
            {
                case MappingStart or SequenceStart:
                    {
                        string path = Enter(yaml, frames, parser.Current, key: null);
                        if (frames.Count >= MaxDepth)
                        {
                            throw yaml.Error(parser.Current.Start, path, $"at most {MaxDepth} levels of nesting", "deeper nesting");
                        }

                        string? anchor = AnchorOf(parser.Current, anchors, isCollection: true);
                        frames.Push(new Frame(parser.Current is MappingStart, path) { Anchor = anchor, NodesBefore = nodes });
                        nodes = Count(yaml, nodes, 1, parser.Current, path);
                        break;
                    }

                case MappingEnd or SequenceEnd:
                    {
                        Frame closed = frames.Pop();
                        if (closed.Anchor is not null)
                        {
                            anchors[closed.Anchor] = new Anchor(IsCollection: true, nodes - closed.NodesBefore);
                        }

                        Advance(frames);
                        break;
                    }

                case Scalar scalar:
                    {
                        string path = Enter(yaml, frames, scalar, scalar.Value);
                        _ = AnchorOf(scalar, anchors, isCollection: false);
                        nodes = Count(yaml, nodes, 1, scalar, path);
                        Advance(frames);
                        break;
                    }

                case AnchorAlias alias:
                    {
                        (string path, Anchor target) = Resolve(yaml, frames, anchors, alias);
                        nodes = Count(yaml, nodes, target.Nodes, alias, path);
                        Advance(frames);
                        break;
                    }

                case DocumentStart:
                    anchors.Clear();
                    nodes = 0;
                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>The field path of an alias and the anchor it names; throws for an alias to nothing or an alias of a collection as a key.</summary>
    private static (string Path, Anchor Target) Resolve(PolicyYaml yaml, Stack<Frame> frames, Dictionary<string, Anchor> anchors, AnchorAlias alias)
    {
        bool isKey = frames.TryPeek(out Frame? parent) && parent.IsMapping && parent.AtKey;
        string path = Enter(yaml, frames, alias, key: null);

        // The representation model fails with no position on an alias to nothing.
        string quoted = PolicyYaml.Quote($"*{alias.Value.Value}");
        if (!anchors.TryGetValue(alias.Value.Value, out Anchor target))
        {
            throw yaml.Error(alias.Start, path, "an alias to an anchor defined above (&name)", quoted);
        }

        // The schema has only plain keys, and the model hashes a key through all of it.
        return isKey && target.IsCollection
            ? throw yaml.Error(alias.Start, path, "a key name, not an alias of a mapping or list", quoted)
            : (path, target);
    }

    /// <summary>Records the anchor a node defines, if any; returns its name.</summary>
    private static string? AnchorOf(ParsingEvent node, Dictionary<string, Anchor> anchors, bool isCollection)
    {
        if (node is not NodeEvent { Anchor.IsEmpty: false } anchored)
        {
            return null;
        }

        string name = anchored.Anchor.Value;
        anchors[name] = new Anchor(isCollection, 1);
        return name;
    }

    /// <summary>Adds <paramref name="more"/> nodes to the document's expanded count; throws past <see cref="MaxExpandedNodes"/>.</summary>
    private static long Count(PolicyYaml yaml, long nodes, long more, ParsingEvent at, string path)
    {
        long total = nodes + more;
        return total <= MaxExpandedNodes
            ? total
            : throw yaml.Error(at.Start, path, $"at most {MaxExpandedNodes} YAML nodes with aliases expanded", "more (aliases of aliases multiply)");
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

    /// <summary>What an anchor names: whether it is a mapping or list, and its node count with aliases expanded.</summary>
    private readonly record struct Anchor(bool IsCollection, long Nodes);

    private sealed class Frame(bool isMapping, string path)
    {
        /// <summary>The anchor this collection defines, or null.</summary>
        public string? Anchor { get; init; }

        /// <summary>The document's expanded node count before this collection began.</summary>
        public long NodesBefore { get; init; }

        public bool IsMapping { get; } = isMapping;

        public string Path { get; } = path;

        public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);

        public int Index { get; set; }

        public bool AtKey { get; set; } = true;

        public string? Key { get; set; }
    }
}
