using Gpupredict.Manager.Policies;
using static Gpupredict.Manager.Tests.Policies.PolicyTestData;

namespace Gpupredict.Manager.Tests.Policies;

public class RuleMatchTests
{
    private static readonly Dictionary<string, string> NoEnv = new(StringComparer.Ordinal);

    [Theory]
    [InlineData("lmp*", "lmp_mpi", true)]
    [InlineData("lmp*", "python", false)]
    [InlineData("python", "python3", false)]
    public void Matches_Process_IsGlobOnWholeName(string pattern, string process, bool expected) =>
        Assert.Equal(expected, new RuleMatch(pattern, null, null, null, NoEnv).Matches(App(process)));

    [Theory]
    [InlineData("alice", true)]
    [InlineData("Alice", false)]
    [InlineData(null, false)]
    public void Matches_User_ExactAndResolvedOnly(string? user, bool expected) =>
        Assert.Equal(expected, new RuleMatch(null, "alice", null, null, NoEnv).Matches(App(user: user)));

    [Theory]
    [InlineData(1000u, true)]
    [InlineData(0u, false)]
    public void Matches_Uid(uint uid, bool expected) =>
        Assert.Equal(expected, new RuleMatch(null, null, 1000, null, NoEnv).Matches(App(uid: uid)));

    [Theory]
    [InlineData("/slurm/uid_1000/job_42", true)]
    [InlineData("/slurm/uid_1000/job_42/step_0", true)]
    [InlineData("/user.slice/user-1000.slice", false)]
    [InlineData(null, false)]
    public void Matches_Cgroup_GlobAcrossSlashes(string? cgroup, bool expected) =>
        Assert.Equal(expected, new RuleMatch(null, null, null, "/slurm/uid_*/job_*", NoEnv).Matches(App(cgroup: cgroup)));

    [Fact]
    public void Matches_Env_EveryVariableEqual()
    {
        var match = new RuleMatch(null, null, null, null, new Dictionary<string, string>(StringComparer.Ordinal) { ["P"] = "gpu", ["Q"] = "" });

        Assert.True(match.Matches(App(env: [("P", "gpu"), ("Q", ""), ("R", "x")])));
        Assert.False(match.Matches(App(env: [("P", "gpu")])));
        Assert.False(match.Matches(App(env: [("P", "GPU"), ("Q", "")])));
    }

    [Fact]
    public void Matches_SeveralFields_AllMustHold()
    {
        var match = new RuleMatch("lmp*", "alice", 1000, null, NoEnv);

        Assert.True(match.Matches(App("lmp", 1000, "alice")));
        Assert.False(match.Matches(App("lmp", 1001, "alice")));
        Assert.False(match.Matches(App("lmp", 1000, "bob")));
    }
}
