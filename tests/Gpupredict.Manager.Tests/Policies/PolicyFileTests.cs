using Gpupredict.Core.Apps;
using Gpupredict.Manager.Policies;
using static Gpupredict.Manager.Tests.Policies.PolicyTestData;

namespace Gpupredict.Manager.Tests.Policies;

public class PolicyFileTests
{
    public static TheoryData<string> ShippedFiles() => new(ShippedPaths());

    [Fact]
    public void ShippedFiles_IncludeDefaultAndExamples()
    {
        string[] files = ShippedPaths();
        Assert.Contains(Path.Combine("policies", "default.yaml"), files);
        Assert.True(files.Count(static f => f.StartsWith(Path.Combine("policies", "examples"), StringComparison.Ordinal)) >= 2);
    }

    [Theory]
    [MemberData(nameof(ShippedFiles))]
    public void Load_ShippedFile_IsValid(string relative)
    {
        string path = Path.Combine(RepoPaths.Root, relative);
        PolicySet set = PolicyLoader.Load(path);
        Assert.Equal(1, set.Version);
        Assert.Equal(path, set.Source);
    }

    [Theory]
    [MemberData(nameof(ShippedFiles))]
    public void Load_ShippedFile_GrantsNothingOnTheApplicationsWord(string relative) =>
        Assert.Empty(PolicyLoader.Load(Path.Combine(RepoPaths.Root, relative)).Warnings);

    [Fact]
    public void Load_DefaultYaml_EqualsBuiltInDefaults()
    {
        PolicySet set = PolicyLoader.Load(Path.Combine(RepoPaths.Root, "policies", "default.yaml"));
        Assert.Equal(PolicySet.BuiltIn.Node, set.Node);
        Assert.Equal(PolicySet.BuiltIn.Default, set.Default);
        Assert.Empty(set.Rules);
    }

    [Fact]
    public void Load_MlExample_GivesEachRoleItsClass()
    {
        PolicySet set = PolicyLoader.Load(Path.Combine(RepoPaths.Root, "policies", "examples", "ml-node.yaml"));
        AppPolicy training = set.For(App("python3", user: "mlops", env: ("GPUPREDICT_ROLE", "training")));
        AppPolicy inference = set.For(App("tritonserver", user: "triton", executable: "/opt/tritonserver/bin/tritonserver"));
        AppPolicy vllm = set.For(App("python3", user: "vllm", cgroup: "/system.slice/vllm.service"));
        AppPolicy notebook = set.For(App("python3", cgroup: "/user.slice/user-1000.slice/run-jupyter-lab.scope"));

        Assert.Equal(("training", PriorityClass.Guaranteed, false), (training.RuleName, training.Priority.Class, training.MaySuspend));
        Assert.Equal(40 * GiB, training.Floor.VramBytes);
        Assert.Equal(("inference", PriorityClass.Burstable, 0.2), (inference.RuleName, inference.Priority.Class, inference.Floor.SmShare));
        Assert.Equal(("notebooks", PriorityClass.BestEffort, true), (notebook.RuleName, notebook.Priority.Class, notebook.MaySuspend));
        Assert.Equal(("vllm", 20 * GiB), (vllm.RuleName, vllm.Floor.VramBytes));
    }

    [Fact]
    public void Load_MlExample_ForgedNameOrEnvironmentGetsTheDefault()
    {
        PolicySet set = PolicyLoader.Load(Path.Combine(RepoPaths.Root, "policies", "examples", "ml-node.yaml"));

        Assert.Equal("default", set.For(App("tritonserver")).RuleName);
        Assert.Equal("default", set.For(App("python3", env: ("GPUPREDICT_ROLE", "inference"))).RuleName);
        Assert.Equal("default", set.For(App("python3", env: ("GPUPREDICT_ROLE", "training"))).RuleName);
    }

    [Fact]
    public void Load_HpcExample_GuaranteesOnlyTheSimGroupsSlurmJobs()
    {
        PolicySet set = PolicyLoader.Load(Path.Combine(RepoPaths.Root, "policies", "examples", "hpc-simulation.yaml"));
        const string Job = "/system.slice/slurmstepd.scope/job_4711/step_0/user/task_0";
        const string Lammps = "/opt/lammps/2Aug2023/bin/lmp_mpi";

        AppPolicy production = set.For(App("lmp_mpi", gid: 300, cgroup: Job, executable: Lammps));
        AppPolicy otherGroup = set.For(App("lmp_mpi", gid: 1000, cgroup: Job, executable: Lammps, env: ("SLURM_JOB_PARTITION", "gpu")));
        AppPolicy ownCopy = set.For(App("lmp_mpi", gid: 300, cgroup: Job, executable: "/home/alice/bin/lmp_mpi", env: ("SLURM_JOB_PARTITION", "gpu")));

        Assert.Equal(("production-simulations", PriorityClass.Guaranteed), (production.RuleName, production.Priority.Class));
        Assert.Equal(("other-lammps-jobs", PriorityClass.Burstable), (otherGroup.RuleName, otherGroup.Priority.Class));
        Assert.Equal(("default", PriorityClass.BestEffort), (ownCopy.RuleName, ownCopy.Priority.Class));
        Assert.True(set.For(App("pvserver")).Priority < set.Default.Priority, "a rule on a process name only lowers");
    }

    /// <summary>Every .yaml under policies/, relative to the repository root, in a stable order.</summary>
    private static string[] ShippedPaths() =>
        [.. Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "policies"), "*.yaml", SearchOption.AllDirectories)
            .Select(static f => Path.GetRelativePath(RepoPaths.Root, f))
            .Order(StringComparer.Ordinal)];
}
