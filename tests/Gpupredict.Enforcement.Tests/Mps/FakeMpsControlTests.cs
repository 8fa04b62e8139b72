using Gpupredict.Core.Apps;
using Gpupredict.Core.Enforcement;
using Gpupredict.Core.Planning;
using Gpupredict.Enforcement.Mps;
using Gpupredict.Enforcement.Tests.Support;

namespace Gpupredict.Enforcement.Tests.Mps;

/// <summary>The mps backend end to end through real processes, against the fake-nvidia-cuda-mps-control test double.</summary>
public sealed class FakeMpsControlTests : IDisposable
{
    private static readonly AppId App = new(4242, 777);
    private readonly TempDirectory _dir = new("gpupredict-mps-");
    private readonly Dictionary<string, string?> _environment;

    public FakeMpsControlTests()
    {
        Directory.CreateDirectory(_dir.File("state"));
        _environment = new(StringComparer.Ordinal) { ["FAKE_MPS_STATE"] = _dir.File("state"), ["FAKE_MPS_LOG"] = _dir.File("log") };
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void SetPartition_NoServer_SetsTheDefaultThroughStdinWithThePipeDirectory()
    {
        MpsBackend backend = Create(pipes: _dir.File("pipes"));

        EnforcementResult result = backend.Execute(Partition(35), "r1");

        Assert.True(result.Applied, result.Error);
        Assert.Equal("35", File.ReadAllText(_dir.File("state/default")).Trim());
        Assert.Equal(
            ["get_server_list", "set_default_active_thread_percentage 35", "get_default_active_thread_percentage"],
            File.ReadAllLines(_dir.File("log")).Where(static l => !l.StartsWith("pipe ", StringComparison.Ordinal)));
        Assert.Contains($"pipe {_dir.File("pipes")}", File.ReadAllLines(_dir.File("log")));
    }

    [Fact]
    public void SetPartition_AppIsAClient_SetsItsServer()
    {
        File.WriteAllText(_dir.File("state/servers"), "900\n");
        File.WriteAllText(_dir.File("state/clients.900"), "4242\n");
        MpsBackend backend = Create();

        EnforcementResult result = backend.Execute(Partition(60), "r1");

        Assert.True(result.Applied, result.Error);
        Assert.Equal("60", File.ReadAllText(_dir.File("state/active.900")).Trim());
    }

    [Fact]
    public void SetPartition_SettingIgnoredByTheDaemon_FailsOnReadBack()
    {
        _environment["FAKE_MPS_IGNORE_SET"] = "1";
        File.WriteAllText(_dir.File("state/default"), "100\n");
        MpsBackend backend = Create();

        EnforcementResult result = backend.Execute(Partition(20), "r1");

        Assert.Equal(EnforcementResult.Failed("r1", "the MPS default reports 100% after setting 20%; the setting did not take"), result);
    }

    [Fact]
    public void SetPartition_ToolFails_ReportsExitCodeAndStderr()
    {
        _environment["FAKE_MPS_FAIL"] = "Cannot find MPS control daemon process";
        MpsBackend backend = Create();

        EnforcementResult result = backend.Execute(Partition(20), "r1");

        Assert.EndsWith("(stdin: 'get_server_list') exited with code 3; stderr: 'Cannot find MPS control daemon process'", result.Error, StringComparison.Ordinal);
    }

    private static SlowAction Partition(int percent) => new(SlowActionKind.SetMpsPartition, App, 0, 0, percent, 0, 0, "test");

    private MpsBackend Create(string? pipes = null) =>
        new(TestDouble.Runner(_environment), new MpsOptions(TestDouble.PathOf(TestDouble.MpsControl), pipes, ProcRoot: _dir.File("noproc")));
}
