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

    [Fact]
    public void Parse_OverOneMiB_Rejected()
    {
        string text = "version: 1\n#" + new string('x', PolicyLoader.MaxBytes) + "\n";

        var e = Assert.Throws<PolicyFormatException>(() => PolicyLoader.Parse(text, "p.yaml"));
        Assert.Equal((0, 0), (e.Line, e.Column));
        Assert.StartsWith("p.yaml: expected a policy of at most 1 MiB", e.Message, StringComparison.Ordinal);
    }
}
