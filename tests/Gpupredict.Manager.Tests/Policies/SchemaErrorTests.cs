using Gpupredict.Manager.Policies;
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
    [InlineData("node: { reserve: { sm: 1 } }", 1, 24, "node.reserve.sm")]
    [InlineData("node: { reserve: { sm: 100% } }", 1, 24, "node.reserve.sm")]
    [InlineData("node: { reserve: { vram: 1TiB } }", 1, 26, "node.reserve.vram")]
    [InlineData("node: { reserve: { vram: 16777215TiB, sm: 0.5 } }", 1, 26, "node.reserve.vram")]
    [InlineData("node: { oversubscription: { max_factor: 10.5 } }", 1, 41, "node.oversubscription.max_factor")]
    [InlineData("node: { oversubscription: { max_factor: 99999999999999999999 } }", 1, 41, "node.oversubscription.max_factor")]
    [InlineData("default: { ceiling: { vram: 16777215TiB } }", 1, 29, "default.ceiling.vram")]
    [InlineData("default: { floor: { vram: -1GiB } }", 1, 27, "default.floor.vram")]
    [InlineData("default: { floor: { sm: .nan } }", 1, 25, "default.floor.sm")]
    [InlineData("default: { floor: { sm: .inf } }", 1, 25, "default.floor.sm")]
    [InlineData("node: { migration: { min_gain: NaN } }", 1, 32, "node.migration.min_gain")]
    [InlineData("node: { oversubscription: { max_factor: Infinity } }", 1, 41, "node.oversubscription.max_factor")]
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
        Assert.Contains("1048576TiB", Fail("version: 1", "default: { ceiling: { vram: 1048577TiB } }").Expected, StringComparison.Ordinal);

    [Fact]
    public void Parse_ReserveOfWholeGpu_SaysWhatIsExpected()
    {
        // The hostile tester's file held back every SM and 2^64 bytes; either alone leaves nothing to grant.
        At(Fail("version: 1", "node:", "  reserve: { sm: 1, vram: 16777215TiB }"), 3, 27, "node.reserve.vram");
        var e = Fail("version: 1", "node:", "  reserve: { sm: 1, vram: 1GiB }");

        Assert.Equal("p.yaml:3:18: node.reserve.sm: expected a reserve share in [0, 1) (a reserve of every SM leaves nothing to grant), found \"1\"", e.Message);
    }

    [Fact]
    public void Parse_ReserveJustBelowTheBounds_Accepted() =>
        Assert.Equal(new ResourceLimits(1023 * GiB, 0.99), Parse("version: 1", "node: { reserve: { vram: 1023GiB, sm: 0.99 } }").Node.Reserve);

    [Fact]
    public void Parse_ReserveAtLeastTheSmallestGpu_RejectedWhenTheNodeIsKnown()
    {
        string text = Yaml("version: 1", "node: { reserve: { vram: 80GiB } }");
        var e = Assert.Throws<PolicyFormatException>(() => PolicyLoader.Parse(text, "p.yaml", 80 * GiB));

        At(e, 2, 26, "node.reserve.vram");
        Assert.Equal("a reserve below the smallest GPU's memory 80GiB", e.Expected);
        Assert.Equal(79 * GiB, PolicyLoader.Parse(Yaml("version: 1", "node: { reserve: { vram: 79GiB } }"), "p.yaml", 80 * GiB).Node.Reserve.VramBytes);
        Assert.Equal(80 * GiB, PolicyLoader.Parse(text, "p.yaml").Node.Reserve.VramBytes); // no node given: only the 1 TiB bound
    }

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
