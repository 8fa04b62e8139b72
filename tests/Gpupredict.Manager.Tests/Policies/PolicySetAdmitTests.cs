using Gpupredict.Core.Apps;
using Gpupredict.Core.Pipeline;
using Gpupredict.Core.Planning;
using Gpupredict.Manager.Policies;
using static Gpupredict.Manager.Tests.Policies.PolicyTestData;

namespace Gpupredict.Manager.Tests.Policies;

public class PolicySetAdmitTests
{
    private static readonly PolicySet Set = Parse(
        "version: 1",
        "default: { class: best-effort, weight: 5, ceiling: { sm: 50% } }",
        "rules:",
        "  - name: lammps",
        "    match: { executable: \"/opt/lammps/bin/*\", gid: 300 }",
        "    class: guaranteed",
        "    weight: 800",
        "    floor: { vram: 8GiB, sm: 25% }",
        "    ceiling: { vram: 40GiB }",
        "  - name: batch",
        "    match: { cgroup: \"/system.slice/batch-*.service\" }",
        "    weight: 200",
        "    migrate: never");

    [Fact]
    public void Admit_RuleMatches_ItsPriorityConstraintsAndName()
    {
        AppTerms terms = Set.Admit(App("lmp_mpi", executable: "/opt/lammps/bin/lmp_mpi", gid: 300));

        Assert.Equal(new Priority(PriorityClass.Guaranteed, 800), terms.Priority);

        // Floor 8 GiB and 0.25; ceiling 40 GiB and, sm not given, the whole GPU (1); guaranteed: never suspended.
        Assert.Equal(new PlanConstraints(8 * GiB, 0.25, 40 * GiB, 1.0, MaySuspend: false, MayMigrate: true), terms.Constraints);
        Assert.Equal("lammps", terms.Rule);
    }

    [Fact]
    public void Admit_SecondRuleMatches_ItsTermsNotTheFirst()
    {
        AppTerms terms = Set.Admit(App("python3", cgroup: "/system.slice/batch-7.service", executable: "/usr/bin/python3.12"));

        // Burstable weight 200 (class not given), nothing reserved, whole GPU, may suspend, never migrated.
        Assert.Equal(new AppTerms(new Priority(PriorityClass.Burstable, 200), new PlanConstraints(0, 0, ulong.MaxValue, 1.0, true, false), "batch"), terms);
    }

    [Fact]
    public void Admit_NoRuleMatches_TheFilesDefault()
    {
        AppTerms terms = Set.Admit(App("python3", executable: "/usr/bin/python3.12"));

        // best-effort 5, no floor, ceiling: vram unlimited, sm 0.5.
        Assert.Equal(new AppTerms(new Priority(PriorityClass.BestEffort, 5), new PlanConstraints(0, 0, ulong.MaxValue, 0.5, true, true), "default"), terms);
    }

    [Fact]
    public void Admit_ClaimsNameAndEnvironmentOnly_GetsDefault()
    {
        // What the application can write about itself earns nothing from rules on what the kernel reports.
        AppIdentity forged = App("lmp_mpi", executable: "/home/mallory/lmp_mpi", gid: 1000, env: ("SLURM_JOB_PARTITION", "gpu"));

        Assert.Equal("default", Set.Admit(forged).Rule);
    }

    [Fact]
    public void Admit_RecordedTrace_GetsDefault() =>
        Assert.Equal("default", Set.Admit(AppIdentity.Recorded("lmp_mpi")).Rule);

    [Fact]
    public void Admit_BuiltIn_BurstableWeight100NoConstraints() =>
        Assert.Equal(new AppTerms(Priority.Default, PlanConstraints.None, AppPolicy.DefaultRuleName), PolicySet.BuiltIn.Admit(App()));

    [Fact]
    public void Admit_Null_Throws() => Assert.Throws<ArgumentNullException>(() => Set.Admit(null!));
}
