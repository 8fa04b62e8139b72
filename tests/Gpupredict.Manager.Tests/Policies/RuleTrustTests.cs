using Gpupredict.Manager.Policies;
using static Gpupredict.Manager.Tests.Policies.PolicyTestData;

namespace Gpupredict.Manager.Tests.Policies;

public class RuleTrustTests
{
    [Fact]
    public void Parse_FloorOnProcessNameOnly_WarnsAtTheMatch()
    {
        PolicySet set = Parse("version: 1", "rules:", "  - name: inference", "    match: { process: tritonserver }", "    floor: { vram: 12GiB }");

        PolicyWarning warning = Assert.Single(set.Warnings);
        Assert.Equal(("p.yaml", 4, 12, "rules[0].match"), (warning.Source, warning.Line, warning.Column, warning.Field));
        Assert.StartsWith("p.yaml:4:12: rules[0].match: rule \"inference\" grants a floor but matches only on process or env", warning.ToString(), StringComparison.Ordinal);
        Assert.Equal(12 * GiB, Assert.Single(set.Rules).Policy.Floor.VramBytes); // a warning, not an error: the rule applies
    }

    [Theory]
    [InlineData("{ env: { SLURM_JOB_PARTITION: gpu } }", "class: guaranteed")] // the guaranteed tier
    [InlineData("{ process: \"lmp*\", env: { ROLE: sim } }", "weight: 101")] // burstable/101 > the default burstable/100
    [InlineData("{ process: \"lmp*\" }", "floor: { sm: 1% }")]
    public void Parse_GrantOnApplicationsWordOnly_Warns(string match, string grant) =>
        Assert.Single(Parse("version: 1", "rules:", $"  - {{ name: r, match: {match}, {grant} }}").Warnings);

    [Theory]
    [InlineData("{ process: \"lmp*\", uid: 1000 }", "class: guaranteed")] // combined with a kernel key
    [InlineData("{ env: { ROLE: sim }, user: mlops }", "floor: { vram: 1GiB }")]
    [InlineData("{ executable: /opt/lammps/bin/lmp }", "class: guaranteed")]
    [InlineData("{ gid: 300 }", "weight: 900")]
    [InlineData("{ cgroup: \"/system.slice/slurmstepd.scope/job_*\" }", "floor: { sm: 0.5 }")]
    [InlineData("{ process: \"pvserver*\" }", "class: best-effort")] // only lowers
    [InlineData("{ process: \"pvserver*\" }", "weight: 100")] // the default's priority: no better
    [InlineData("{ process: \"pvserver*\" }", "ceiling: { vram: 8GiB }")] // only caps
    public void Parse_KernelVouchedOrNoGrant_NoWarning(string match, string grant) =>
        Assert.Empty(Parse("version: 1", "rules:", $"  - {{ name: r, match: {match}, {grant} }}").Warnings);

    [Fact]
    public void Parse_PriorityComparedWithTheFilesDefault()
    {
        string[] rule = ["rules:", "  - { name: r, match: { process: \"x*\" }, class: burstable, weight: 50 }"];

        Assert.Empty(Parse(["version: 1", "default: { class: guaranteed }", .. rule]).Warnings);
        Assert.Contains("priority burstable/50 above the default's best-effort/100", Assert.Single(Parse(["version: 1", "default: { class: best-effort }", .. rule]).Warnings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BuiltIn_HasNoWarnings() => Assert.Empty(PolicySet.BuiltIn.Warnings);
}
