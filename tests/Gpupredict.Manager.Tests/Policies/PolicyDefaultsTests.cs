using Gpupredict.Core.Apps;
using Gpupredict.Manager.Policies;
using static Gpupredict.Manager.Tests.Policies.PolicyTestData;

namespace Gpupredict.Manager.Tests.Policies;

public class PolicyDefaultsTests
{
    [Fact]
    public void Parse_VersionOnly_GivesBuiltInDefaults()
    {
        PolicySet set = Parse("version: 1");

        Assert.Equal(PolicySet.BuiltIn.Node, set.Node);
        Assert.Equal(PolicySet.BuiltIn.Default, set.Default);
        Assert.Empty(set.Rules);
        Assert.Equal("p.yaml", set.Source);
    }

    [Fact]
    public void BuiltIn_HasDocumentedValues()
    {
        NodePolicy node = PolicySet.BuiltIn.Node;
        Assert.Equal(ResourceLimits.Zero, node.Reserve);
        Assert.Equal(new OversubscriptionPolicy(false, 0.99, 1.5), node.Oversubscription);
        Assert.Equal(new SuspendPolicy(false, TimeSpan.FromMinutes(5), TimeSpan.FromMilliseconds(500)), node.Suspend);
        Assert.Equal(new MigrationPolicy(true, TimeSpan.FromSeconds(2), 0.10), node.Migration);
        Assert.True(node.WorkConserving);
        Assert.Equal(0.99, node.UpperQuantile);
        Assert.Equal(new AppPolicy("default", new Priority(PriorityClass.Burstable, 100), ResourceLimits.Zero, null, true, true), PolicySet.BuiltIn.Default);
    }

    [Fact]
    public void Parse_NodePartlyGiven_RestDefaults()
    {
        PolicySet set = Parse("version: 1", "node:", "  reserve: { vram: 2GiB }", "  suspend: { idle_after: 1m }", "  oversubscription: { enabled: false }");

        Assert.Equal(new ResourceLimits(2 * GiB, 0), set.Node.Reserve);
        Assert.Equal(new SuspendPolicy(false, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(500)), set.Node.Suspend);
        Assert.Equal(new OversubscriptionPolicy(false, 0.99, 1.5), set.Node.Oversubscription);
    }

    [Fact]
    public void Parse_UpperQuantileAbsent_Is099()
    {
        Assert.Equal(0.99, Parse("version: 1", "node: { work_conserving: false }").Node.UpperQuantile);
        Assert.Equal(0.99, Parse("version: 1").Node.UpperQuantile);
    }

    [Theory]
    [InlineData("0.5", 0.5)]
    [InlineData("0.9", 0.9)]
    [InlineData("\"0.95\"", 0.95)]
    [InlineData("0.999", 0.999)]
    public void Parse_UpperQuantileInRange_Read(string text, double expected) =>
        Assert.Equal(expected, Parse("version: 1", "node:", $"  upper_quantile: {text}").Node.UpperQuantile);

    [Fact]
    public void Parse_UpperQuantileOutOfRange_SaysRangeAndValue()
    {
        var e = Fail("version: 1", "node:", "  work_conserving: true", "  upper_quantile: 0.9999");

        At(e, 4, 19, "node.upper_quantile");
        Assert.Equal("p.yaml:4:19: node.upper_quantile: expected a quantile level in [0.5, 0.999], found \"0.9999\"", e.Message);
    }

    [Theory]
    [InlineData("guaranteed", PriorityClass.Guaranteed, false)]
    [InlineData("burstable", PriorityClass.Burstable, true)]
    [InlineData("best-effort", PriorityClass.BestEffort, true)]
    public void Parse_SuspendNotGiven_NeverOnlyForGuaranteed(string word, PriorityClass expected, bool maySuspend)
    {
        AppPolicy p = Parse("version: 1", $"default: {{ class: {word} }}").Default;

        Assert.Equal(new Priority(expected, 100), p.Priority);
        Assert.Equal((maySuspend, true), (p.MaySuspend, p.MayMigrate));
    }

    [Fact]
    public void Parse_RuleWithOnlyNameAndMatch_GetsBuiltInGrant()
    {
        PolicyRule rule = Assert.Single(Parse("version: 1", "rules:", "  - name: r", "    match: { uid: 5 }").Rules);

        Assert.Equal(new AppPolicy("r", Priority.Default, ResourceLimits.Zero, null, true, true), rule.Policy);
        Assert.Equal(3, rule.Line);
    }

    [Fact]
    public void Parse_PartialCeiling_OtherResourceUnlimited()
    {
        AppPolicy vramOnly = Parse("version: 1", "default: { ceiling: { vram: 4GiB } }").Default;
        AppPolicy smOnly = Parse("version: 1", "default: { ceiling: { sm: 50% } }").Default;

        Assert.Equal(new ResourceLimits(4 * GiB, 1.0), vramOnly.Ceiling);
        Assert.Equal(new ResourceLimits(ulong.MaxValue, 0.5), smOnly.Ceiling);
    }

    [Fact]
    public void Parse_EverythingGiven_ReadsEveryValue()
    {
        PolicySet set = Parse(
            "version: 1",
            "node:",
            "  migration: { enabled: false, max_pause: 1500ms, min_gain: 0.3 }",
            "  oversubscription: { enabled: true, quantile: 0.9, max_factor: 2 }",
            "default: { class: best-effort, weight: 7, floor: { vram: 1MiB, sm: 0.1 }, ceiling: { vram: 1GB, sm: 0.2 }, suspend: never, migrate: never }");

        Assert.Equal(new MigrationPolicy(false, TimeSpan.FromMilliseconds(1500), 0.3), set.Node.Migration);
        Assert.Equal(new OversubscriptionPolicy(true, 0.9, 2), set.Node.Oversubscription);
        Assert.Equal(new AppPolicy("default", new Priority(PriorityClass.BestEffort, 7), new ResourceLimits(1UL << 20, 0.1), new ResourceLimits(1_000_000_000, 0.2), false, false), set.Default);
    }
}
