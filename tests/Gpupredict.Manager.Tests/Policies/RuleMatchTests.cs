using Gpupredict.Core.Apps;
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
        Assert.Equal(expected, Match(process: pattern).Matches(App(process)));

    [Theory]
    [InlineData("/opt/lammps/bin/lmp*", "/opt/lammps/bin/lmp_mpi", true)]
    [InlineData("/opt/*/bin/lmp*", "/opt/lammps/23/bin/lmp_mpi", true)] // '*' crosses '/'
    [InlineData("/opt/lammps/bin/lmp*", "/home/alice/opt/lammps/bin/lmp_mpi", false)] // whole path, not a suffix
    [InlineData("/usr/bin/python3", "/usr/bin/python3.12", false)]
    [InlineData("*/python3.1?", "/usr/bin/python3.12", true)]
    [InlineData("/opt/lammps/bin/lmp*", "/opt/LAMMPS/bin/lmp_mpi", false)] // case-sensitive
    [InlineData("/opt/lammps/bin/lmp*", null, false)] // unknown executable never matches
    [InlineData("*", null, false)]
    public void Matches_Executable_GlobOnWholePath(string pattern, string? executable, bool expected) =>
        Assert.Equal(expected, Match(executable: pattern).Matches(App(executable: executable)));

    [Theory]
    [InlineData("alice", true)]
    [InlineData("Alice", false)]
    [InlineData(null, false)]
    public void Matches_User_ExactAndResolvedOnly(string? user, bool expected) =>
        Assert.Equal(expected, Match(user: "alice").Matches(App(user: user)));

    [Theory]
    [InlineData(1000u, true)]
    [InlineData(0u, false)]
    public void Matches_Uid(uint uid, bool expected) =>
        Assert.Equal(expected, Match(uid: 1000).Matches(App(uid: uid)));

    [Theory]
    [InlineData(300u, 300u, 1000u, true)]
    [InlineData(300u, 301u, 1000u, false)]
    [InlineData(300u, 1000u, 300u, false)] // gid is not uid: a user whose uid equals the gid does not match
    [InlineData(0u, 0u, 1000u, true)]
    [InlineData(uint.MaxValue, uint.MaxValue, 0u, true)]
    public void Matches_Gid_ComparesGroupOnly(uint rule, uint gid, uint uid, bool expected) =>
        Assert.Equal(expected, Match(gid: rule).Matches(App(uid: uid, gid: gid)));

    [Theory]
    [InlineData("/slurm/uid_1000/job_42", true)]
    [InlineData("/slurm/uid_1000/job_42/step_0", true)]
    [InlineData("/user.slice/user-1000.slice", false)]
    [InlineData(null, false)]
    public void Matches_Cgroup_GlobAcrossSlashes(string? cgroup, bool expected) =>
        Assert.Equal(expected, Match(cgroup: "/slurm/uid_*/job_*").Matches(App(cgroup: cgroup)));

    [Fact]
    public void Matches_Env_EveryVariableEqual()
    {
        var match = Match(env: new Dictionary<string, string>(StringComparer.Ordinal) { ["P"] = "gpu", ["Q"] = "" });

        Assert.True(match.Matches(App(env: [("P", "gpu"), ("Q", ""), ("R", "x")])));
        Assert.False(match.Matches(App(env: [("P", "gpu")])));
        Assert.False(match.Matches(App(env: [("P", "GPU"), ("Q", "")])));
    }

    [Fact]
    public void Matches_SeveralFields_AllMustHold()
    {
        var match = Match(process: "lmp*", user: "alice", uid: 1000);

        Assert.True(match.Matches(App("lmp", 1000, "alice")));
        Assert.False(match.Matches(App("lmp", 1001, "alice")));
        Assert.False(match.Matches(App("lmp", 1000, "bob")));
    }

    [Theory]
    [InlineData("/opt/lammps/bin/lmp", 300u, true)]
    [InlineData("/opt/lammps/bin/lmp", 301u, false)]
    [InlineData("/home/alice/lmp", 300u, false)]
    public void Matches_ExecutableAndGid_BothMustHold(string executable, uint gid, bool expected) =>
        Assert.Equal(expected, Match(executable: "/opt/lammps/bin/*", gid: 300).Matches(App(executable: executable, gid: gid)));

    [Fact]
    public void Matches_RecordedTrace_OnlyProcessAndZeroIdsKnown()
    {
        var recorded = AppIdentity.Recorded("lmp_mpi");

        Assert.True(Match(process: "lmp*").Matches(recorded));
        Assert.True(Match(uid: 0, gid: 0).Matches(recorded));
        Assert.False(Match(executable: "*").Matches(recorded));
        Assert.False(Match(cgroup: "*").Matches(recorded));
        Assert.False(Match(gid: 1000).Matches(recorded));
    }

    private static RuleMatch Match(
        string? process = null,
        string? executable = null,
        string? user = null,
        uint? uid = null,
        uint? gid = null,
        string? cgroup = null,
        Dictionary<string, string>? env = null) =>
        new(process, executable, user, uid, gid, cgroup, env ?? NoEnv);
}
