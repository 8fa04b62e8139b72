using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Enforcement;
using Gpupredict.Core.Planning;
using Gpupredict.Enforcement.Mps;
using Gpupredict.Enforcement.Processes;
using Gpupredict.Enforcement.Tests.Support;

namespace Gpupredict.Enforcement.Tests.Mps;

/// <summary>The mps backend against an in-memory runner: exact commands, parsing and failures.</summary>
public sealed class MpsBackendTests : IDisposable
{
    private static readonly AppId App = new(4242, 777);
    private readonly TempDirectory _proc = new("gpupredict-proc-");
    private readonly Dictionary<string, string> _answers = new(StringComparer.Ordinal);

    public void Dispose() => _proc.Dispose();

    [Theory]
    [InlineData(0.0, 1)] // never 0: MPS needs at least 1
    [InlineData(0.001, 1)] // 0.1 % rounds up
    [InlineData(0.29, 29)] // 28.999... in binary, still 29
    [InlineData(0.5, 50)]
    [InlineData(0.501, 51)] // 50.1 % rounds up
    [InlineData(1.0, 100)]
    public void PercentFor_Share_RoundsUpAndClampsTo1Through100(double share, int percent) =>
        Assert.Equal(percent, MpsBackend.PercentFor(share));

    [Fact]
    public void Execute_SetPartitionWithoutServers_SetsTheDefaultAndReadsItBack()
    {
        _answers["get_default_active_thread_percentage"] = "30.0\n";
        (MpsBackend backend, ScriptedRunner runner) = Create();

        EnforcementResult result = backend.Execute(Partition(30), "r1");

        Assert.Equal(EnforcementResult.Ok("r1", changed: true), result);
        Assert.Equal(["get_server_list", "set_default_active_thread_percentage 30", "get_default_active_thread_percentage"], runner.Lines);
        Assert.Equal(30, backend.PercentOf(App));
    }

    [Fact]
    public void Execute_SetPartitionForAClient_SetsItsServer()
    {
        _answers["get_server_list"] = "900\n901\n";
        _answers["get_client_list 900"] = "17\n";
        _answers["get_client_list 901"] = "4242\n18\n";
        _answers["get_active_thread_percentage 901"] = "40.0";
        (MpsBackend backend, ScriptedRunner runner) = Create();

        EnforcementResult result = backend.Execute(Partition(40), "r1");

        Assert.True(result.Applied, result.Error);
        Assert.Equal(
            ["get_server_list", "get_client_list 900", "get_client_list 901", "set_active_thread_percentage 901 40", "get_active_thread_percentage 901"],
            runner.Lines);
    }

    [Fact]
    public void Execute_SetPartitionNotYetAClient_SetsTheServerOfItsUser()
    {
        WriteStatus(App.Pid, uid: 1000);
        WriteStatus(900, uid: 0);
        WriteStatus(901, uid: 1000);
        _answers["get_server_list"] = "900\n901\n";
        _answers["get_active_thread_percentage 901"] = "25.0";
        (MpsBackend backend, ScriptedRunner runner) = Create();

        EnforcementResult result = backend.Execute(Partition(25), "r1");

        Assert.True(result.Applied, result.Error);
        Assert.Contains("set_active_thread_percentage 901 25", runner.Lines);
    }

    [Fact]
    public void Apply_SameShareUnderNewRequestIds_RunsTheToolOnce()
    {
        _answers["get_default_active_thread_percentage"] = "50.0";
        (MpsBackend backend, ScriptedRunner runner) = Create();
        var grant = new GpuAllocation(App, 0, 1UL << 30, 0, 0.5, 0, 10);

        EnforcementResult first = backend.Apply(grant, "r1");
        EnforcementResult second = backend.Apply(grant with { VramQuotaBytes = 2UL << 30 }, "r2");
        EnforcementResult viaExecute = backend.Execute(Partition(50), "r3");

        Assert.Equal((true, true), (first.Applied, first.Changed));
        Assert.Equal((true, false), (second.Applied, second.Changed));
        Assert.Equal((true, false), (viaExecute.Applied, viaExecute.Changed));
        Assert.Equal(3, runner.Requests.Count);
    }

    [Fact]
    public void Apply_SameRequestIdTwice_ReturnsTheFirstResultWithoutRunning()
    {
        _answers["get_default_active_thread_percentage"] = "50.0";
        (MpsBackend backend, ScriptedRunner runner) = Create();

        backend.Apply(new GpuAllocation(App, 0, 1, 0, 0.5, 0, 10), "r1");
        EnforcementResult again = backend.Apply(new GpuAllocation(App, 0, 1, 0, 0.9, 0, 10), "r1");

        Assert.Equal(EnforcementResult.Ok("r1", changed: false), again);
        Assert.Equal(3, runner.Requests.Count);
    }

    [Fact]
    public void Apply_InvalidGrant_Fails()
    {
        (MpsBackend backend, ScriptedRunner runner) = Create();

        EnforcementResult result = backend.Apply(new GpuAllocation(App, 0, 1, 0, -0.1, 0, 10), "r1");

        Assert.Equal(EnforcementResult.Failed("r1", "SM share -0.1 is outside [0, 1]"), result);
        Assert.Empty(runner.Requests);
    }

    [Theory]
    [InlineData(SlowActionKind.Suspend)]
    [InlineData(SlowActionKind.Restore)]
    [InlineData(SlowActionKind.Migrate)]
    public void Execute_NotAnMpsAction_FailsSayingSo(SlowActionKind kind)
    {
        (MpsBackend backend, ScriptedRunner runner) = Create();

        EnforcementResult result = backend.Execute(new SlowAction(kind, App, 0, 1, 0, 0, 0, "t"), "x");

        Assert.Equal(EnforcementResult.Failed("x", $"{kind} is not performed by mps; use the checkpoint backend"), result);
        Assert.Empty(runner.Requests);
    }

    [Fact]
    public void Release_ChangesNothingAndForgetsThePercentage()
    {
        _answers["get_default_active_thread_percentage"] = "50.0";
        (MpsBackend backend, ScriptedRunner runner) = Create();
        backend.Execute(Partition(50), "r1");

        EnforcementResult result = backend.Release(App, "rel");

        Assert.Equal(EnforcementResult.Ok("rel", changed: false), result);
        Assert.Null(backend.PercentOf(App));
        Assert.Equal(3, runner.Requests.Count);
    }

    [Fact]
    public void Execute_ToolExitsNonZero_FailsWithCommandExitCodeAndStderr()
    {
        (MpsBackend backend, _) = Create(_ => new ProcessResult(1, string.Empty, "Cannot find MPS control daemon process\n", false, null));

        EnforcementResult result = backend.Execute(Partition(30), "r1");

        Assert.Equal(
            "'nvidia-cuda-mps-control' (stdin: 'get_server_list') exited with code 1; stderr: 'Cannot find MPS control daemon process'",
            result.Error);
    }

    [Fact]
    public void Execute_ToolTimesOut_FailsSayingSo()
    {
        (MpsBackend backend, _) = Create(_ => new ProcessResult(-1, string.Empty, string.Empty, true, null));

        EnforcementResult result = backend.Execute(Partition(30), "r1");

        Assert.Contains("did not finish within 10000 ms and was killed", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("get_server_list", "no servers\n", "'get_server_list' printed 'no servers', not a PID")]
    [InlineData("get_default_active_thread_percentage", "Error: none\n", "'get_default_active_thread_percentage' printed 'Error: none', not a percentage in (0, 100]")]
    [InlineData("get_default_active_thread_percentage", "100.0\n", "the MPS default reports 100% after setting 30%; the setting did not take")]
    public void Execute_UnexpectedOutput_Fails(string command, string output, string error)
    {
        _answers[command] = output;
        (MpsBackend backend, _) = Create();

        EnforcementResult result = backend.Execute(Partition(30), "r1");

        Assert.False(result.Applied);
        Assert.StartsWith(error, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Execute_MissingExecutable_FailsWithTheCommand()
    {
        var backend = new MpsBackend(SystemProcessRunner.Instance, new MpsOptions(Executable: "/nonexistent/nvidia-cuda-mps-control"));

        EnforcementResult result = backend.Execute(Partition(30), "r1");

        Assert.False(result.Applied);
        Assert.StartsWith("'/nonexistent/nvidia-cuda-mps-control' (stdin: 'get_server_list') could not be started", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void PipeDirectory_IsPassedAsCudaMpsPipeDirectory()
    {
        _answers["get_default_active_thread_percentage"] = "30.0";
        var runner = new ScriptedRunner(Answer);
        var backend = new MpsBackend(runner, new MpsOptions(PipeDirectory: "/run/mps", ProcRoot: _proc.Path));

        backend.Execute(Partition(30), "r1");

        Assert.All(runner.Requests, r => Assert.Equal("/run/mps", r.Environment!["CUDA_MPS_PIPE_DIRECTORY"]));
        Assert.All(runner.Requests, r => Assert.Empty(r.Arguments));
    }

    private static SlowAction Partition(int percent) => new(SlowActionKind.SetMpsPartition, App, 0, 0, percent, 0, 0, "test");

    private (MpsBackend Backend, ScriptedRunner Runner) Create(Func<ProcessRequest, ProcessResult>? answer = null)
    {
        var runner = new ScriptedRunner(answer ?? Answer);
        return (new MpsBackend(runner, new MpsOptions(ProcRoot: _proc.Path)), runner);
    }

    private ProcessResult Answer(ProcessRequest request) =>
        ScriptedRunner.Ok(_answers.GetValueOrDefault(request.StandardInput!.Trim(), string.Empty));

    private void WriteStatus(int pid, int uid)
    {
        string dir = Path.Join(_proc.Path, pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Join(dir, "status"), $"Name:\ttest\nUid:\t{uid}\t{uid}\t{uid}\t{uid}\nGid:\t0\t0\t0\t0\n");
    }
}
