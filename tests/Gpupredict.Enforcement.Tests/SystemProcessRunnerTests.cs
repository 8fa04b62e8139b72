using Gpupredict.Enforcement.Processes;

namespace Gpupredict.Enforcement.Tests;

public sealed class SystemProcessRunnerTests
{
    [Fact]
    public void Run_ArgumentsAsAList_ArePassedVerbatimWithoutAShell()
    {
        var request = new ProcessRequest("/bin/sh", ["-c", "printf '%s|' \"$@\"; cat; echo err >&2; exit 7", "sh", "a b", "$HOME;"], "in", null, TimeSpan.FromSeconds(10));

        ProcessResult result = SystemProcessRunner.Instance.Run(request);

        Assert.Equal((7, "a b|$HOME;|in", "err\n", false, (string?)null), (result.ExitCode, result.StandardOutput, result.StandardError, result.TimedOut, result.StartError));
        Assert.Equal("'/bin/sh -c printf '%s|' \"$@\"; cat; echo err >&2; exit 7 sh a b $HOME;' (stdin: 'in') exited with code 7; stderr: 'err'", result.Problem(request));
    }

    [Fact]
    public void Run_Environment_IsAddedAndRemoved()
    {
        var environment = new Dictionary<string, string?> { ["GP_TEST_SET"] = "yes", ["HOME"] = null };
        var request = new ProcessRequest("/bin/sh", ["-c", "echo \"$GP_TEST_SET:${HOME-unset}\""], null, environment, TimeSpan.FromSeconds(10));

        Assert.Equal("yes:unset\n", SystemProcessRunner.Instance.Run(request).StandardOutput);
    }

    [Fact]
    public void Run_PastTheTimeout_KillsAndSaysSo()
    {
        var request = new ProcessRequest("/bin/sleep", ["30"], null, null, TimeSpan.FromMilliseconds(200));

        ProcessResult result = SystemProcessRunner.Instance.Run(request);

        Assert.Equal((true, -1), (result.TimedOut, result.ExitCode));
        Assert.Equal("'/bin/sleep 30' did not finish within 200 ms and was killed; stderr: ''", result.Problem(request));
    }

    [Fact]
    public void Run_MissingExecutable_IsAStartError()
    {
        ProcessResult result = SystemProcessRunner.Instance.Run(new ProcessRequest("/nonexistent/tool", [], null, null, TimeSpan.FromSeconds(1)));

        Assert.NotNull(result.StartError);
        Assert.False(result.Succeeded);
    }
}
