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
