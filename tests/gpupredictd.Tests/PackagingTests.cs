using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Gpupredict.Daemon.Config;

namespace Gpupredict.Daemon.Tests;

/// <summary>
/// What ships beside the daemon agrees with it: the systemd unit is one systemd accepts, and the
/// example configuration documents every key the loader reads, each at its default.
/// </summary>
public sealed partial class PackagingTests
{
    private static string Unit => Path.Combine(RepoPaths.Root, "packaging", "systemd", "gpupredictd.service");

    private static string ExampleConfig => Path.Combine(RepoPaths.Root, "packaging", "gpupredictd.yaml");

    [SystemdAnalyzeFact]
    public void Verify_TheUnit_SystemdAnalyzeReportsNothing()
    {
        // systemd-analyze verify fails a unit whose ExecStart binary does not exist, and
        // /usr/bin/gpupredictd is installed only by the package. So a copy is verified, identical
        // but for ExecStart pointing at /bin/true: every other line is checked as shipped.
        string text = File.ReadAllText(Unit);
        Assert.Single(ExecStartLine().Matches(text));
        string dir = Directory.CreateTempSubdirectory("gp-unit-").FullName;
        try
        {
            string copy = Path.Join(dir, "gpupredictd.service");
            File.WriteAllText(copy, ExecStartLine().Replace(text, "ExecStart=/bin/true"));
            var start = new ProcessStartInfo("systemd-analyze") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("verify");
            start.ArgumentList.Add(copy);
            using Process p = Process.Start(start)!;
            Task<string> stdout = p.StandardOutput.ReadToEndAsync();
            string stderr = p.StandardError.ReadToEnd();
            Assert.True(p.WaitForExit(60_000), "systemd-analyze verify did not finish within 60 s");
            string output = stdout.Result + stderr;

            // verify exits 0 on an unknown key or a value it cannot parse, and only says so: any
            // line about the unit is a finding. Lines about other units on the machine are not ours.
            string[] findings = [.. output.Split('\n').Where(l => l.Contains("gpupredictd.service", StringComparison.Ordinal))];
            Assert.True(p.ExitCode == 0 && findings.Length == 0, $"systemd-analyze verify exited {p.ExitCode}:\n{output}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Unit_Settings_AgreeWithTheDaemon()
    {
        Dictionary<string, string> unit = UnitSettings(File.ReadAllText(Unit));
        var defaults = new DaemonConfig();
        Assert.Equal("notify", unit["Type"]);
        Assert.Equal("main", unit["NotifyAccess"]);
        Assert.Equal("/usr/bin/gpupredictd", unit["ExecStart"]);
        Assert.Equal("/bin/kill -HUP $MAINPID", unit["ExecReload"]);
        Assert.Equal("on-failure", unit["Restart"]);
        Assert.Equal("2", unit["RestartPreventExitStatus"]); // Hosting.DaemonProgram.BadInput
        Assert.Equal(defaults.RuntimeDirectory, "/run/" + unit["RuntimeDirectory"]);
        Assert.Equal("0755", unit["RuntimeDirectoryMode"]); // applications of every user reach the socket
        Assert.Equal(Path.GetDirectoryName(DaemonConfig.DefaultPath), "/etc/" + unit["ConfigurationDirectory"]);
        Assert.Contains("CAP_SYS_PTRACE", unit["CapabilityBoundingSet"], StringComparison.Ordinal);
        Assert.Contains("CAP_DAC_READ_SEARCH", unit["CapabilityBoundingSet"], StringComparison.Ordinal);

        // The whole shutdown shares one deadline (shutdown_timeout) and the host adds 1 s: that must fit in TimeoutStopSec.
        TimeSpan stop = Seconds(unit["TimeoutStopSec"]);
        Assert.True(stop >= defaults.ShutdownTimeout + TimeSpan.FromSeconds(1), $"TimeoutStopSec {stop} < shutdown_timeout + 1 s");
        Assert.True(Seconds(unit["WatchdogSec"]) >= TimeSpan.FromSeconds(1), "the watchdog must allow for garbage collections and slow ticks");
    }

    [Fact]
    public void ExampleConfig_AsShipped_ParsesToTheDefaults()
    {
        DaemonConfig c = DaemonConfigLoader.Load(ExampleConfig, optional: false);
        Assert.Equal(new DaemonConfig { Source = ExampleConfig }, c);
    }

    [Fact]
    public void ExampleConfig_DocumentedKeys_AreExactlyTheLoadersKeysInOrder()
    {
        // A key added to DaemonConfigLoader.Keys fails here until packaging/gpupredictd.yaml (and
        // docs/daemon.md, which lists the same keys) documents it.
        string[] documented = [.. CommentedKey().Matches(File.ReadAllText(ExampleConfig)).Select(m => m.Groups["key"].Value)];
        Assert.Equal(DaemonConfigLoader.Keys, documented);
    }

    [Fact]
    public void ExampleConfig_EveryKeyUncommented_GivesTheDefaultsInForce()
    {
        // The values shown are the defaults: uncommented, they change nothing the daemon uses.
        // policies is the exception: its default is "none" (the built-in policy), which has no value.
        string text = CommentedKey().Replace(File.ReadAllText(ExampleConfig), m => m.Groups["key"].Value == "policies" ? string.Empty : m.Value[2..]);
        DaemonConfig c = DaemonConfigLoader.Parse(text, "uncommented");
        var d = new DaemonConfig();
        Assert.Equal(d.RuntimeDirectory, c.RuntimeDirectory);
        Assert.Equal(d.SocketPath, c.SocketPath);
        Assert.Null(c.Policies);
        Assert.Equal(d.Forecaster, c.Forecaster);
        Assert.Equal(d.Horizon, c.Horizon);
        Assert.Equal(d.Step, c.Step);
        Assert.Equal(d.Gpus, c.Gpus);
        Assert.Equal(d.RingSlots, c.RingSlots);
        Assert.Equal(d.MaxEventsPerStep, c.MaxEventsPerStep);
        Assert.Equal(d.MaxApplications, c.MaxApplications);
        Assert.Equal(d.MaxPerUser, c.MaxPerUser);
        Assert.Equal(d.StatusPath, c.StatusPath);
        Assert.Equal(d.StatusInterval, c.StatusInterval);
        Assert.Equal(d.ShutdownTimeout, c.ShutdownTimeout);
    }

    [Fact]
    public void DaemonGuide_ConfigurationTable_ListsEveryKey()
    {
        string guide = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "daemon.md"));
        string[] missing = [.. DaemonConfigLoader.Keys.Where(k => !guide.Contains($"| `{k}` |", StringComparison.Ordinal))];
        Assert.Empty(missing);
    }

    private static Dictionary<string, string> UnitSettings(string text)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n'))
        {
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && !line.StartsWith('#') && !line.StartsWith('['))
            {
                settings[line[..eq].Trim()] = line[(eq + 1)..].Trim();
            }
        }

        return settings;
    }

    private static TimeSpan Seconds(string value) =>
        value.EndsWith('s') && int.TryParse(value[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out int s)
            ? TimeSpan.FromSeconds(s)
            : throw new FormatException($"expected whole seconds such as 15s, found '{value}'");

    [GeneratedRegex("^ExecStart=/usr/bin/gpupredictd$", RegexOptions.Multiline)]
    private static partial Regex ExecStartLine();

    [GeneratedRegex("^# (?<key>[a-z_]+): .*$", RegexOptions.Multiline)]
    private static partial Regex CommentedKey();
}

/// <summary>A fact that runs systemd-analyze; skipped, saying so, where it is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SystemdAnalyzeFactAttribute : FactAttribute
{
    public SystemdAnalyzeFactAttribute()
    {
        string? path = Environment.GetEnvironmentVariable("PATH");
        bool found = path is not null && path.Split(':').Any(d => d.Length > 0 && File.Exists(Path.Join(d, "systemd-analyze")));
        if (!found)
        {
            Skip = "systemd-analyze is not installed (Debian package systemd): the unit cannot be verified here";
        }
    }
}
