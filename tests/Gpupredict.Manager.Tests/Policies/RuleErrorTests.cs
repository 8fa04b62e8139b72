using Gpupredict.Manager.Policies;
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
        Assert.Equal("one of the keys process, executable, user, uid, gid, cgroup, env", e.Expected);
    }

    [Theory]
    [InlineData("match: { uid: -1 }", 19, "rules[0].match.uid")]
    [InlineData("match: { uid: 4294967296 }", 19, "rules[0].match.uid")]
    [InlineData("match: { user: \"\" }", 20, "rules[0].match.user")]
    [InlineData("match: { env: {} }", 19, "rules[0].match.env")]
    [InlineData("match: { env: [A] }", 19, "rules[0].match.env")]
    [InlineData("match: { env: { A: } }", 24, "rules[0].match.env.A")]
    [InlineData("match: { process: python3.11-worker }", 23, "rules[0].match.process")]
    [InlineData("match: { gid: -1 }", 19, "rules[0].match.gid")]
    [InlineData("match: { gid: 4294967296 }", 19, "rules[0].match.gid")]
    [InlineData("match: { gid: staff }", 19, "rules[0].match.gid")]
    [InlineData("match: { gid: 1.5 }", 19, "rules[0].match.gid")]
    [InlineData("match: { gid: [300] }", 19, "rules[0].match.gid")]
    [InlineData("match: { gid: }", 19, "rules[0].match.gid")]
    [InlineData("match: { executable: \"\" }", 26, "rules[0].match.executable")]
    [InlineData("match: { executable: lmp_mpi }", 26, "rules[0].match.executable")]
    [InlineData("match: { executable: \" /opt/lmp\" }", 26, "rules[0].match.executable")]
    [InlineData("match: { executable: [/opt/lmp] }", 26, "rules[0].match.executable")]
    [InlineData("match: { executable: { path: /opt/lmp } }", 26, "rules[0].match.executable")]
    public void Parse_BadMatchValue_Rejected(string match, int column, string field) =>
        At(Fail("version: 1", "rules:", "  - name: x", "    " + match), 4, column, field);

    [Theory]
    [InlineData("match: { gid: staff }", "an integer in [0, 4294967295]", "\"staff\"")]
    [InlineData("match: { executable: lmp_mpi }", "an absolute executable path glob such as \"/opt/lammps/bin/lmp*\"", "\"lmp_mpi\"")]
    public void Parse_BadGidOrExecutable_SaysExpectedAndFound(string match, string expected, string found)
    {
        var e = Fail("version: 1", "rules:", "  - name: x", "    " + match);

        Assert.Equal((expected, found), (e.Expected, e.Found));
    }

    [Fact]
    public void Parse_GidAndExecutable_ReadIntoMatch()
    {
        PolicyRule rule = Assert.Single(Parse("version: 1", "rules:", "  - name: x", "    match: { executable: \"/opt/*/lmp*\", gid: 300 }").Rules);

        Assert.Equal(("/opt/*/lmp*", 300u), (rule.Match.Executable, rule.Match.Gid));
        Assert.Equal((null, null, null, null), (rule.Match.Process, rule.Match.User, rule.Match.Uid, rule.Match.Cgroup));
        Assert.Empty(rule.Match.Environment);
    }

    [Fact]
    public void Parse_RulesNotAList_Rejected() => At(Fail("version: 1", "rules: { name: x }"), 2, 8, "rules");

    [Fact]
    public void Parse_RuleNotAMapping_Rejected() => At(Fail("version: 1", "rules:", "  - simulations"), 3, 5, "rules[0]");
}
