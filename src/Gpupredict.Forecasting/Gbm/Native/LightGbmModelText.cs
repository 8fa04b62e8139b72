using System.Buffers;
using System.Globalization;

namespace Gpupredict.Forecasting.Gbm.Native;

/// <summary>
/// A managed check of LightGBM model text before it reaches <c>LGBM_BoosterLoadModelFromString</c>.
/// LightGBM's parser trusts its input: it jumps to each tree by the header's <c>tree_sizes</c>
/// offsets (a wrong size reads outside the text), scans for '=' without a bound, and parses the
/// trees in an OpenMP loop where a parse error (its <c>Log::Fatal</c>) terminates the whole
/// process instead of returning an error code: renaming "Tree=0" to "Xree=0" does exactly that.
/// At scoring time it walks child indices without range checks (an index out of range reads
/// outside the tree, a cycle never returns). A saved forecaster's checksum already refuses damage;
/// this refuses a well-formed, checksummed file that still holds text these models never produce,
/// so obvious garbage never reaches native code.
/// </summary>
/// <remarks>
/// What it checks: printable ASCII and newlines only; the header's keys, one class, one tree per
/// iteration, <c>max_feature_idx</c> and as many feature names and infos as the caller's columns;
/// every tree exactly where <c>tree_sizes</c> puts it, numbered in order, with known keys only,
/// every key LightGBM requires of a tree, no categorical or linear splits (these models use
/// neither), arrays as long as <c>num_leaves</c> requires, in plain decimal notation, split
/// features in range, finite thresholds and leaf values, and children that point forward to an
/// internal node or at a leaf (so every walk ends at a leaf); then the trailer's sections.
/// What LightGBM still judges alone, and could still abort on inside its tree loop: a number this
/// check reads but LightGBM's own number parser does not (both read plain decimal notation), and
/// memory for a huge but well-formed model. Outside that loop it refuses with an error code: the
/// header's <c>feature_infos</c>, the values in the trailer's <c>parameters:</c> section and the
/// objective's parameters.
/// </remarks>
internal static class LightGbmModelText
{
    /// <summary>The largest model text accepted (64 MiB); the boosters these forecasters train are tens of KiB.</summary>
    public const int MaxChars = 64 << 20;

    private const int MaxLeaves = 1 << 17;

    private static readonly SearchValues<char> Decimal = SearchValues.Create("0123456789+-.eE");

    private static readonly SearchValues<char> ParameterName = SearchValues.Create("abcdefghijklmnopqrstuvwxyz_0123456789");

    private static readonly string[] HeaderKeys = ["version", "num_class", "num_tree_per_iteration", "label_index", "max_feature_idx", "objective", "feature_names", "monotone_constraints", "feature_infos", "tree_sizes"];

    private static readonly string[] TreeKeys = ["num_leaves", "num_cat", "split_feature", "split_gain", "threshold", "decision_type", "left_child", "right_child", "leaf_value", "leaf_weight", "leaf_count", "internal_value", "internal_weight", "internal_count", "is_linear", "shrinkage"];

    /// <summary>Returns when <paramref name="model"/> is text these forecasters' boosters could have written for <paramref name="columns"/> features.</summary>
    /// <exception cref="FormatException">The text is not; the message says where and what.</exception>
    public static void Check(string model, int columns)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Length > MaxChars)
        {
            throw new FormatException($"model text of {model.Length} characters, more than {MaxChars}");
        }

        int bad = model.AsSpan().IndexOfAnyExceptInRange(' ', '~');
        while (bad >= 0 && model[bad] == '\n')
        {
            int next = model.AsSpan(bad + 1).IndexOfAnyExceptInRange(' ', '~');
            bad = next < 0 ? -1 : bad + 1 + next;
        }

        if (bad >= 0)
        {
            throw new FormatException($"model text has character 0x{(int)model[bad]:x} at {bad}; LightGBM writes printable ASCII and newlines");
        }

        if (!model.StartsWith("tree\n", StringComparison.Ordinal))
        {
            throw new FormatException("model text does not start with 'tree'");
        }

        int treesAt = model.IndexOf("\n\nTree=0\n", StringComparison.Ordinal);
        if (treesAt < 0)
        {
            throw new FormatException("model text has no 'Tree=0' after its header");
        }

        Dictionary<string, string> header = KeyValues(model.AsSpan(5, treesAt - 5), HeaderKeys, "header");
        int[] sizes = CheckHeader(header, columns);
        int at = treesAt + 2;
        for (int t = 0; t < sizes.Length; t++)
        {
            if (sizes[t] > model.Length - at)
            {
                throw new FormatException($"tree_sizes puts tree {t} ({sizes[t]} characters) past the end of the text");
            }

            CheckTree(model.AsSpan(at, sizes[t]), t, columns);
            at += sizes[t];
        }

        CheckTrailer(model.AsSpan(at));
    }

    private static int[] CheckHeader(Dictionary<string, string> header, int columns)
    {
        foreach (string key in (string[])["version", "num_class", "num_tree_per_iteration", "max_feature_idx", "objective", "feature_names", "feature_infos", "tree_sizes"])
        {
            if (!header.ContainsKey(key))
            {
                throw new FormatException($"model header has no '{key}'");
            }
        }

        Expect(header, "version", "v4");
        Expect(header, "num_class", "1");
        Expect(header, "num_tree_per_iteration", "1");
        Expect(header, "max_feature_idx", (columns - 1).ToString(CultureInfo.InvariantCulture));
        if (header["objective"] != "quantile" && !header["objective"].StartsWith("quantile ", StringComparison.Ordinal))
        {
            throw new FormatException($"model objective is '{header["objective"]}', expected quantile");
        }

        foreach (string key in (string[])["feature_names", "feature_infos"])
        {
            int n = header[key].Split(' ').Length;
            if (n != columns)
            {
                throw new FormatException($"model header has {n} {key}, expected {columns}");
            }
        }

        int[] sizes = Integers(header["tree_sizes"], -1, "tree_sizes", "header");
        if (sizes.Length == 0 || Array.Exists(sizes, s => s <= 0))
        {
            throw new FormatException("model tree_sizes must list at least one positive size");
        }

        return sizes;
    }

    private static void CheckTree(ReadOnlySpan<char> block, int index, int columns)
    {
        string title = $"Tree={index.ToString(CultureInfo.InvariantCulture)}\n";
        if (!block.StartsWith(title, StringComparison.Ordinal) || !block.EndsWith("\n\n\n", StringComparison.Ordinal))
        {
            throw new FormatException($"tree {index} is not where tree_sizes puts it (expected '{title.TrimEnd()}' ending in a blank line)");
        }

        string where = $"tree {index}";
        Dictionary<string, string> keys = KeyValues(block[title.Length..^3], TreeKeys, where);
        int leaves = Integers(Required(keys, "num_leaves", where), 1, "num_leaves", where)[0];
        if (leaves is < 1 or > MaxLeaves)
        {
            throw new FormatException($"{where} has num_leaves = {leaves}, expected 1..{MaxLeaves}");
        }

        _ = Required(keys, "num_cat", where);
        Expect(keys, "num_cat", "0", where);
        Expect(keys, "is_linear", "0", where);
        int nodes = leaves - 1;
        Finite(Doubles(Required(keys, "leaf_value", where), leaves, "leaf_value", where), "leaf_value", where);
        Finite(Doubles(Required(keys, "shrinkage", where), 1, "shrinkage", where), "shrinkage", where);
        if (nodes == 0)
        {
            return;
        }

        int[] features = Integers(Required(keys, "split_feature", where), nodes, "split_feature", where);
        Finite(Doubles(Required(keys, "threshold", where), nodes, "threshold", where), "threshold", where);
        int[] decisions = Integers(Required(keys, "decision_type", where), nodes, "decision_type", where);
        int[] left = Integers(Required(keys, "left_child", where), nodes, "left_child", where);
        int[] right = Integers(Required(keys, "right_child", where), nodes, "right_child", where);
        // Optional arrays LightGBM still parses, in its tree loop, when present.
        foreach ((string optional, int count, bool counts) in (ReadOnlySpan<(string, int, bool)>)[("split_gain", nodes, false), ("internal_value", nodes, false), ("internal_weight", nodes, false), ("internal_count", nodes, true), ("leaf_weight", leaves, false), ("leaf_count", leaves, true)])
        {
            if (keys.TryGetValue(optional, out string? v))
            {
                _ = counts ? Integers(v, count, optional, where) : (object)Doubles(v, count, optional, where);
            }
        }

        for (int n = 0; n < nodes; n++)
        {
            if ((uint)features[n] >= (uint)columns || (decisions[n] & ~0b1110) != 0)
            {
                throw new FormatException($"{where} node {n} splits feature {features[n]} with decision type {decisions[n]}: expected a feature in 0..{columns - 1} and a numerical split");
            }

            // Children point forward (a larger internal node) or at a leaf (~leaf): every walk ends.
            foreach (int child in (int[])[left[n], right[n]])
            {
                if (child >= 0 ? child <= n || child >= nodes : ~child >= leaves)
                {
                    throw new FormatException($"{where} node {n} has child {child}, outside this tree of {leaves} leaves");
                }
            }
        }
    }

    /// <summary>"end of trees", the feature importances ("name=count" lines), the parameters ("[name: value]" lines), "end of parameters".</summary>
    private static void CheckTrailer(ReadOnlySpan<char> trailer)
    {
        const string Trees = "end of trees\n\nfeature_importances:";
        const string Parameters = "\n\nparameters:\n";
        const string End = "\n\nend of parameters\n";
        int parameters = trailer.IndexOf(Parameters, StringComparison.Ordinal);
        if (!trailer.StartsWith(Trees, StringComparison.Ordinal) || parameters < Trees.Length || !trailer.EndsWith(End, StringComparison.Ordinal)
            || parameters + Parameters.Length > trailer.Length - End.Length)
        {
            throw new FormatException("model text does not end its trees with 'end of trees', feature importances, parameters and 'end of parameters'");
        }

        ReadOnlySpan<char> importances = trailer[Trees.Length..parameters];
        foreach (Range r in importances.Split('\n'))
        {
            ReadOnlySpan<char> line = importances[r];
            int eq = line.IndexOf('=');
            if (line.Length > 0 && (eq < 1 || !int.TryParse(line[(eq + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            {
                throw new FormatException($"model feature importance line '{Clip(line)}' is not 'name=count'");
            }
        }

        ReadOnlySpan<char> lines = trailer[(parameters + Parameters.Length)..^End.Length];
        foreach (Range r in lines.Split('\n'))
        {
            ReadOnlySpan<char> line = lines[r];
            int colon = line.IndexOf(": ", StringComparison.Ordinal);
            if (line.Length < 4 || line[0] != '[' || line[^1] != ']' || colon < 2 || line[1..colon].IndexOfAnyExcept(ParameterName) >= 0)
            {
                throw new FormatException($"model parameter line '{Clip(line)}' is not '[name: value]'");
            }
        }
    }

    /// <summary>Lines "key=value", each key once and one of <paramref name="known"/>.</summary>
    private static Dictionary<string, string> KeyValues(ReadOnlySpan<char> text, string[] known, string where)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Range r in text.Split('\n'))
        {
            ReadOnlySpan<char> line = text[r];
            int eq = line.IndexOf('=');
            string key = eq < 0 ? line.ToString() : line[..eq].ToString();
            if (eq < 0 || Array.IndexOf(known, key) < 0 || !values.TryAdd(key, line[(eq + 1)..].ToString()))
            {
                throw new FormatException($"model {where} has line '{Clip(line)}': expected one known 'key=value' per line");
            }
        }

        return values;
    }

    private static string Required(Dictionary<string, string> keys, string key, string where) =>
        keys.TryGetValue(key, out string? v) ? v : throw new FormatException($"model {where} has no '{key}'");

    private static void Expect(Dictionary<string, string> keys, string key, string expected, string where = "header")
    {
        if (keys.TryGetValue(key, out string? v) && v != expected)
        {
            throw new FormatException($"model {where} has {key}={Clip(v)}, expected {expected}");
        }
    }

    /// <summary>Space-separated integers, <paramref name="count"/> of them (any number when negative).</summary>
    private static int[] Integers(string text, int count, string key, string where)
    {
        string[] parts = text.Length == 0 ? [] : text.Split(' ');
        var values = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (parts[i].StartsWith('+') || !int.TryParse(parts[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out values[i]))
            {
                throw new FormatException($"model {where} {key} [{i}] is '{Clip(parts[i])}', not an integer");
            }
        }

        return count < 0 || values.Length == count ? values : throw new FormatException($"model {where} has {values.Length} {key} values, expected {count}");
    }

    private static double[] Doubles(string text, int count, string key, string where)
    {
        string[] parts = text.Split(' ');
        var values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            // Plain decimal notation only: .NET also reads "NaN" and "Infinity", LightGBM's parser may not.
            if (parts[i].AsSpan().IndexOfAnyExcept(Decimal) >= 0 || !double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
            {
                throw new FormatException($"model {where} {key} [{i}] is '{Clip(parts[i])}', not a number");
            }
        }

        return values.Length == count ? values : throw new FormatException($"model {where} has {values.Length} {key} values, expected {count}");
    }

    private static void Finite(double[] values, string key, string where)
    {
        int i = Array.FindIndex(values, v => !double.IsFinite(v));
        if (i >= 0)
        {
            throw new FormatException($"model {where} {key} [{i}] is {values[i]}");
        }
    }

    private static string Clip(ReadOnlySpan<char> text) => text.Length <= 40 ? text.ToString() : $"{text[..40]}...";
}
