using static Gpupredict.Manager.Tests.Policies.PolicyTestData;

namespace Gpupredict.Manager.Tests.Policies;

public class SchemaErrorTests
{
    [Fact]
    public void Parse_BadSize_MessageNamesFileLineFieldAndValue()
    {
        var e = Fail(
            "version: 1",
            "rules:",
            "  - name: a",
            "    match: { uid: 1 }",
            "  - name: b",
            "    match: { uid: 2 }",
            "  - name: c",
            "    match: { uid: 3 }",
            "    floor:",
            "      vram: eight");

        At(e, 10, 13, "rules[2].floor.vram");
        Assert.Equal("p.yaml:10:13: rules[2].floor.vram: expected a size such as 8GiB, found \"eight\"", e.Message);
        Assert.Equal(("a size such as 8GiB", "\"eight\""), (e.Expected, e.Found));
    }

    [Fact]
    public void Parse_UnknownKey_ListsAllowedKeys()
    {
        var e = Fail("version: 1", "node:", "  reserv: { vram: 1GiB }");

        At(e, 3, 3, "node.reserv");
        Assert.Equal("one of the keys reserve, oversubscription, suspend, migration, mps, work_conserving, upper_quantile", e.Expected);
        Assert.Equal("unknown key \"reserv\"", e.Found);
    }

    [Fact]
    public void Parse_UnknownRootKey_Rejected() => At(Fail("version: 1", "rule: []"), 2, 1, "rule");

    [Fact]
    public void Parse_WrongType_SaysWhatWasFound()
    {
        var e = Fail("version: 1", "node:", "  suspend: true");

        At(e, 3, 12, "node.suspend");
        Assert.Equal("\"true\"", e.Found);
    }

    [Fact]
    public void Parse_ListWhereScalarExpected_Rejected()
    {
        var e = Fail("version: 1", "default:", "  weight: [1, 2]");

        At(e, 3, 11, "default.weight");
        Assert.Equal("a list", e.Found);
    }

    [Theory]
    [InlineData("default: { weight: 1001 }", 1, 20, "default.weight")]
    [InlineData("default: { weight: -1 }", 1, 20, "default.weight")]
    [InlineData("default: { weight: 2.5 }", 1, 20, "default.weight")]
    [InlineData("default: { class: gold }", 1, 19, "default.class")]
    [InlineData("default: { suspend: yes }", 1, 21, "default.suspend")]
    [InlineData("default: { floor: { sm: 1.5 } }", 1, 25, "default.floor.sm")]
    [InlineData("default: { floor: { sm: 120% } }", 1, 25, "default.floor.sm")]
    [InlineData("node: { oversubscription: { quantile: 0.5 } }", 1, 39, "node.oversubscription.quantile")]
    [InlineData("node: { oversubscription: { quantile: 1 } }", 1, 39, "node.oversubscription.quantile")]
    [InlineData("node: { oversubscription: { max_factor: 0.9 } }", 1, 41, "node.oversubscription.max_factor")]
    [InlineData("node: { oversubscription: { enabled: 1 } }", 1, 38, "node.oversubscription.enabled")]
    [InlineData("node: { migration: { min_gain: 1.1 } }", 1, 32, "node.migration.min_gain")]
    [InlineData("node: { suspend: { idle_after: 30 } }", 1, 32, "node.suspend.idle_after")]
    [InlineData("node: { reserve: { vram: 99999999TiB } }", 1, 26, "node.reserve.vram")]
    [InlineData("node: { upper_quantile: 0.4999 }", 1, 25, "node.upper_quantile")]
    [InlineData("node: { upper_quantile: 0.9991 }", 1, 25, "node.upper_quantile")]
    [InlineData("node: { upper_quantile: 1 }", 1, 25, "node.upper_quantile")]
    [InlineData("node: { upper_quantile: 99% }", 1, 25, "node.upper_quantile")]
    [InlineData("node: { upper_quantile: high }", 1, 25, "node.upper_quantile")]
    [InlineData("node: { upper_quantile: -0.9 }", 1, 25, "node.upper_quantile")]
    [InlineData("node: { upper_quantile: [0.99] }", 1, 25, "node.upper_quantile")]
    [InlineData("node: { upper_quantile: }", 1, 25, "node.upper_quantile")]
    public void Parse_OutOfRangeOrWrongWord_Rejected(string line, int lineNo, int column, string field) =>
        At(Fail("version: 1", line), lineNo + 1, column, field);

    [Fact]
    public void Parse_SizeOverflow_SaysTheLimit() =>
        Assert.Contains("16777215TiB", Fail("version: 1", "node: { reserve: { vram: 16777216TiB } }").Expected, StringComparison.Ordinal);

    [Fact]
    public void Parse_FloorAboveCeiling_PointsAtFloor()
    {
        var e = Fail("version: 1", "default:", "  ceiling: { vram: 4GiB }", "  floor: { vram: 8GiB }");

        At(e, 4, 18, "default.floor.vram");
        Assert.Contains("4GiB", e.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FloorSmAboveCeilingSm_Rejected() =>
        At(Fail("version: 1", "default: { floor: { sm: 0.5 }, ceiling: { sm: 0.25 } }"), 2, 25, "default.floor.sm");
}
