using Gpupredict.Core.Apps;
using Gpupredict.Manager.Policies;
using static Gpupredict.Manager.Tests.Policies.PolicyTestData;

namespace Gpupredict.Manager.Tests.Policies;

public class PolicySetForTests
{
    private static readonly PolicySet Set = Parse(
        "version: 1",
        "default: { class: best-effort, weight: 1 }",
        "rules:",
        "  - name: alice-sim",
        "    match: { user: alice, process: \"lmp*\" }",
        "    class: guaranteed",
        "  - name: any-lammps",
        "    match: { process: \"lmp*\" }",
        "  - name: partition",
        "    match:",
        "      env: { SLURM_JOB_PARTITION: gpu }",
        "      uid: 1000",
        "      cgroup: \"/slurm/*\"",
        "    weight: 900");

    /// <summary>Rules on what the kernel reports, ahead of one on what the application says.</summary>
    private static readonly PolicySet KernelSet = Parse(
        "version: 1",
        "rules:",
        "  - name: lammps-build",
        "    match: { executable: \"/opt/lammps/*/bin/lmp*\", gid: 300 }",
        "    class: guaranteed",
        "  - name: sim-group",
        "    match: { gid: 300 }",
        "    weight: 700",
        "  - name: site-binaries",
        "    match: { executable: \"/opt/*\" }",
        "    weight: 400",
        "  - name: says-lammps",
        "    match: { process: \"lmp*\" }",
        "    class: best-effort");

    [Theory]
    [InlineData("lmp_mpi", "/opt/lammps/2024/bin/lmp_mpi", 300u, "lammps-build")] // all four hold; the first wins
    [InlineData("lmp_mpi", "/opt/lammps/2024/bin/lmp_mpi", 301u, "site-binaries")] // the gid fails rules 0 and 1
    [InlineData("python3", "/usr/bin/python3.12", 300u, "sim-group")]
    [InlineData("lmp_mpi", "/home/alice/lmp_mpi", 301u, "says-lammps")] // a copied binary is only what it says it is
    [InlineData("lmp_mpi", null, 300u, "sim-group")] // no executable known: rule 0 cannot hold
    [InlineData("python3", "/usr/bin/python3.12", 1000u, "default")]
    public void For_ExecutableAndGidRules_FirstMatchWins(string process, string? executable, uint gid, string expected) =>
        Assert.Equal(expected, KernelSet.For(App(process, executable: executable, gid: gid)).RuleName);

    [Fact]
    public void For_TwoRulesMatch_FirstWins()
    {
        Assert.Equal("alice-sim", Set.For(App("lmp_mpi", user: "alice")).RuleName);
        Assert.Equal("any-lammps", Set.For(App("lmp_mpi", user: "bob")).RuleName);
    }

    [Fact]
    public void For_NoRuleMatches_Default()
    {
        AppPolicy p = Set.For(App("python", env: ("SLURM_JOB_PARTITION", "debug")));

        Assert.Equal("default", p.RuleName);
        Assert.Equal(new Priority(PriorityClass.BestEffort, 1), p.Priority);
    }

    [Fact]
    public void For_EveryFieldOfRuleHolds_Matches()
    {
        Assert.Equal(900, Set.For(App("python", 1000, cgroup: "/slurm/job_1", env: ("SLURM_JOB_PARTITION", "gpu"))).Priority.Weight);
        Assert.Equal("default", Set.For(App("python", 1001, cgroup: "/slurm/job_1", env: ("SLURM_JOB_PARTITION", "gpu"))).RuleName);
    }

    [Fact]
    public void BuiltIn_For_AnyApp_IsDefault() =>
        Assert.Same(AppPolicy.Default, PolicySet.BuiltIn.For(App()));
}
