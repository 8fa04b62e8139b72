using static Gpupredict.Manager.Tests.Policies.PolicyTestData;

namespace Gpupredict.Manager.Tests.Policies;

public class RuleErrorTests
{
    [Fact]
    public void Parse_DuplicateRuleName_PointsAtSecond()
    {
        var e = Fail("version: 1", "rules:", "  - name: sim", "    match: { uid: 1 }", "  - name: sim", "    match: { uid: 2 }");

        At(e, 5, 11, "rules[1].name");
        Assert.Contains("rules[0]", e.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EmptyMatch_Rejected()
    {
        var e = Fail("version: 1", "rules:", "  - name: sim", "    match: {}");

        At(e, 4, 12, "rules[0].match");
        Assert.Equal("an empty mapping", e.Found);
    }

    [Fact]
    public void Parse_MissingName_Rejected() => At(Fail("version: 1", "rules:", "  - match: { uid: 1 }"), 3, 5, "rules[0].name");

    [Fact]
    public void Parse_MissingMatch_Rejected() => At(Fail("version: 1", "rules:", "  - name: x"), 3, 5, "rules[0].match");

    [Fact]
    public void Parse_UnknownMatchKey_ListsAllowed()
    {
        var e = Fail("version: 1", "rules:", "  - name: x", "    match: { pid: 1 }");

        At(e, 4, 14, "rules[0].match.pid");
        Assert.Equal("one of the keys process, user, uid, cgroup, env", e.Expected);
    }

    [Theory]
    [InlineData("match: { uid: -1 }", 19, "rules[0].match.uid")]
    [InlineData("match: { uid: 4294967296 }", 19, "rules[0].match.uid")]
    [InlineData("match: { user: \"\" }", 20, "rules[0].match.user")]
    [InlineData("match: { env: {} }", 19, "rules[0].match.env")]
    [InlineData("match: { env: [A] }", 19, "rules[0].match.env")]
    [InlineData("match: { env: { A: } }", 24, "rules[0].match.env.A")]
    [InlineData("match: { process: python3.11-worker }", 23, "rules[0].match.process")]
    public void Parse_BadMatchValue_Rejected(string match, int column, string field) =>
        At(Fail("version: 1", "rules:", "  - name: x", "    " + match), 4, column, field);

    [Fact]
    public void Parse_RulesNotAList_Rejected() => At(Fail("version: 1", "rules: { name: x }"), 2, 8, "rules");

    [Fact]
    public void Parse_RuleNotAMapping_Rejected() => At(Fail("version: 1", "rules:", "  - simulations"), 3, 5, "rules[0]");
}
