using Gpupredict.Manager.Policies;
using YamlDotNet.Core;
using static Gpupredict.Manager.Tests.Policies.PolicyTestData;

namespace Gpupredict.Manager.Tests.Policies;

public class YamlErrorTests
{
    [Fact]
    public void Parse_MissingVersion_SaysSupportedVersions()
    {
        var e = Fail("node: {}");

        At(e, 1, 1, "version");
        Assert.Contains("supported versions: 1", e.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OtherVersion_SaysSupportedVersions()
    {
        var e = Fail("node: { future: 1 }", "version: 2");

        At(e, 2, 10, "version");
        Assert.Equal("\"2\"", e.Found);
        Assert.Contains("supported versions: 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateKey_PointsAtSecondWithPath()
    {
        var e = Fail("version: 1", "node:", "  suspend: { enabled: true }", "  suspend: { enabled: false }");

        At(e, 4, 3, "node.suspend");
    }

    [Fact]
    public void Parse_DuplicateKeyInRuleList_PathHasIndex() =>
        At(Fail("version: 1", "rules:", "  - name: a", "    match: { uid: 1 }", "  - name: b", "    name: c"), 6, 5, "rules[1].name");

    [Fact]
    public void Parse_MalformedYaml_WrapsYamlExceptionWithPosition()
    {
        var e = Fail("version: 1", "node: { suspend: [ }");

        Assert.IsAssignableFrom<YamlException>(e.InnerException);
        Assert.Equal((2, string.Empty), (e.Line, e.Field));
        Assert.True(e.Column > 0);
        Assert.StartsWith("p.yaml:2:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TabIndentation_PointsAtTheTab() => At(Fail("version: 1", "node:", "\treserve: {}"), 3, 1, string.Empty);

    [Fact]
    public void Parse_AliasToNothing_Rejected()
    {
        var e = Fail("version: 1", "default: { floor: *big }");

        At(e, 2, 19, "default.floor");
        Assert.Equal("\"*big\"", e.Found);
    }

    [Fact]
    public void Parse_AnchorAndAlias_Resolved()
    {
        PolicySet set = Parse("version: 1", "default: { floor: &f { vram: 1GiB } }", "rules:", "  - { name: a, match: { uid: 1 }, floor: *f }");

        Assert.Equal(set.Default.Floor, Assert.Single(set.Rules).Policy.Floor);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment")]
    public void Parse_EmptyDocument_Rejected(string text) =>
        Assert.Equal("an empty document", Assert.Throws<PolicyFormatException>(() => PolicyLoader.Parse(text, "p.yaml")).Found);

    [Fact]
    public void Parse_RootNotMapping_Rejected() => At(Fail("- version: 1"), 1, 1, string.Empty);

    [Fact]
    public void Parse_TwoDocuments_Rejected() => At(Fail("version: 1", "---", "version: 1"), 3, 1, string.Empty);

    [Fact]
    public void Parse_DeepNesting_RejectedBeforeRecursion()
    {
        string text = "version: 1\nnode: " + new string('[', 100_000) + new string(']', 100_000) + "\n";

        var e = Assert.Throws<PolicyFormatException>(() => PolicyLoader.Parse(text, "p.yaml"));
        Assert.Contains("levels of nesting", e.Expected, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task Parse_AliasBombAsKey_RejectedWithPosition()
    {
        // Twelve anchors, each a list of ten aliases of the one before: 10^12 nodes in about a
        // kilobyte. As a mapping key, the YAML model would hash all of them (14.6 s at nine levels).
        string text = AliasChain(levels: 12, fanOut: 10) + "node: { *a11 : 1 }\n";
        Assert.True(text.Length < 1100, $"{text.Length} bytes");

        var e = await Task.Run(() => Assert.Throws<PolicyFormatException>(() => PolicyLoader.Parse(text, "p.yaml")));

        // a0..a4 expand to 11 + 111 + 1,111 + 11,111 + 111,111 nodes; a5's aliases add 111,111 each,
        // and its ninth takes the document past 2^20: line 7, the ninth "*a4, " after "a5: &a5 [".
        At(e, 7, 10 + (8 * 5), "a5[8]");
        Assert.Equal("at most 1048576 YAML nodes with aliases expanded", e.Expected);
    }

    [Theory]
    [InlineData("node: { *a2 : 1 }", 5, 9, "node.?")]
    [InlineData("node:\n  ? *a2\n  : 1", 6, 5, "node.?")]
    public void Parse_AliasOfAListAsKey_Rejected(string line, int lineNo, int column, string field)
    {
        // 1,111 nodes expanded: under the bound, but a key is a name, never an alias of a collection.
        var e = Assert.Throws<PolicyFormatException>(() => PolicyLoader.Parse(AliasChain(levels: 3, fanOut: 10) + line + "\n", "p.yaml"));

        At(e, lineNo, column, field);
        Assert.Equal(("a key name, not an alias of a mapping or list", "\"*a2\""), (e.Expected, e.Found));
    }

    [Fact]
    public void Parse_AliasOfAScalarAsKey_ReachesTheSchema()
    {
        PolicySet set = Parse("version: 1", "default: { &w weight: 7 }", "rules:", "  - { name: a, match: { uid: 1 }, *w : 9 }");

        Assert.Equal(9, Assert.Single(set.Rules).Policy.Priority.Weight);
    }

    [Fact]
    public void Parse_AliasBombAsValue_Rejected()
    {
        var e = Assert.Throws<PolicyFormatException>(() => PolicyLoader.Parse(AliasChain(levels: 12, fanOut: 10) + "rules: *a11\n", "p.yaml"));

        Assert.Equal((7, "a5[8]"), (e.Line, e.Field));
    }

    [Fact]
    public void Parse_OverOneMiB_Rejected()
    {
        string text = "version: 1\n#" + new string('x', PolicyLoader.MaxBytes) + "\n";

        var e = Assert.Throws<PolicyFormatException>(() => PolicyLoader.Parse(text, "p.yaml"));
        Assert.Equal((0, 0), (e.Line, e.Column));
        Assert.StartsWith("p.yaml: expected a policy of at most 1 MiB", e.Message, StringComparison.Ordinal);
    }

    /// <summary>"version: 1", then a0 a list of <paramref name="fanOut"/> scalars and each aN a list of <paramref name="fanOut"/> aliases of aN-1.</summary>
    private static string AliasChain(int levels, int fanOut)
    {
        var text = new System.Text.StringBuilder("version: 1\n");
        _ = text.Append("a0: &a0 [").AppendJoin(", ", Enumerable.Repeat("x", fanOut)).Append("]\n");
        for (int i = 1; i < levels; i++)
        {
            _ = text.Append($"a{i}: &a{i} [").AppendJoin(", ", Enumerable.Repeat($"*a{i - 1}", fanOut)).Append("]\n");
        }

        return text.ToString();
    }
}
