using Gpupredict.Daemon.Config;

namespace Gpupredict.Daemon.Tests;

public sealed class DaemonConfigLoaderTests
{
    [Fact]
    public void Load_NoFileAtTheDefaultPath_GivesTheDefaults()
    {
        DaemonConfig c = DaemonConfigLoader.Load("/nonexistent/gpupredictd.yaml", optional: true);
        Assert.Equal(new DaemonConfig(), c);
        Assert.Equal("/run/gpupredictd/register.sock", c.SocketPath);
        Assert.Equal("/run/gpupredictd/status.json", c.StatusPath);
    }

    [Fact]
    public void Load_MissingNamedFile_SaysSo()
    {
        var e = Assert.Throws<ConfigFormatException>(() => DaemonConfigLoader.Load("/nonexistent/x.yaml", optional: false));
        Assert.Equal("/nonexistent/x.yaml: expected a readable file, found no such file", e.Message);
    }

    [Fact]
    public void Parse_EveryKey_IsRead()
    {
        DaemonConfig c = DaemonConfigLoader.Parse(
            """
            # a comment
            runtime_dir: /tmp/gp
            socket: /tmp/gp/s.sock
            policies: /etc/gpupredictd/policies.yaml
            forecaster: last-value
            model: /var/lib/gpupredictd/model.bin
            horizon: 20
            step: 20ms
            gpus: 2 x A100 40GB
            ring_slots: 1024
            max_events_per_step: 5000
            max_applications: 10
            max_per_user: 3
            status_file: none
            status_interval: 250ms
            shutdown_timeout: 2s
            """,
            "c.yaml");
        Assert.Equal("/tmp/gp/s.sock", c.SocketPath);
        Assert.Equal("/etc/gpupredictd/policies.yaml", c.Policies);
        Assert.Equal("last-value", c.Forecaster);
        Assert.Equal("/var/lib/gpupredictd/model.bin", c.Model);
        Assert.Equal(20, c.Horizon);
        Assert.Equal(TimeSpan.FromMilliseconds(20), c.Step);
        Assert.Equal("2 x A100 40GB", c.Gpus);
        Assert.Equal(1024u, c.RingSlots);
        Assert.Equal(5000, c.MaxEventsPerStep);
        Assert.Equal(10, c.MaxApplications);
        Assert.Equal(3, c.MaxPerUser);
        Assert.Null(c.StatusPath);
        Assert.Equal(TimeSpan.FromMilliseconds(250), c.StatusInterval);
        Assert.Equal(TimeSpan.FromSeconds(2), c.ShutdownTimeout);
        Assert.Equal(15, DaemonConfigLoader.Keys.Count);
    }

    [Theory]
    [InlineData("horizon: 0\n", "c.yaml:1:10: horizon: expected a whole number in [1, 1000], found '0'")]
    [InlineData("step: fast\n", "c.yaml:1:7: step: expected a duration such as 10ms or 2s, in [1 ms, 60 s], found 'fast'")]
    [InlineData("ring_slots: 1000\n", "c.yaml:1:13: ring_slots: expected a power of two in [64, 4194304], found '1000'")]
    [InlineData("runtime_dir: run\n", "c.yaml:1:14: runtime_dir: expected an absolute path, found 'run'")]
    [InlineData("colour: blue\n", "c.yaml:1:1: colour: expected one of the keys runtime_dir, socket, policies, forecaster, model, horizon, step, gpus, ring_slots, max_events_per_step, max_applications, max_per_user, status_file, status_interval, shutdown_timeout, found unknown key 'colour'")]
    [InlineData("horizon: 5\nhorizon: 6\n", "c.yaml:2:1: horizon: expected each key at most once, found 'horizon' again")]
    [InlineData("horizon: { a: 1 }\n", "c.yaml:1:10: horizon: expected a plain value for horizon, found a mapping")]
    [InlineData("- a\n", "c.yaml:1:1: expected a mapping of keys such as runtime_dir: /run/gpupredictd, found a list")]
    public void Parse_BadValue_NamesFileLineColumnFieldExpectedAndFound(string text, string message)
    {
        var e = Assert.Throws<ConfigFormatException>(() => DaemonConfigLoader.Parse(text, "c.yaml"));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void Parse_AliasBomb_IsRefusedAtTheFirstAnchorWithoutExpanding()
    {
        // Nested anchors a reload must never expand: refused at the first anchor, in linear time.
        var text = new System.Text.StringBuilder("a0: &a0 [x, x]\n");
        for (int i = 1; i < 40; i++)
        {
            text.Append($"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]\n");
        }

        var e = Assert.Throws<ConfigFormatException>(() => DaemonConfigLoader.Parse(text.ToString(), "bomb.yaml"));
        Assert.StartsWith("bomb.yaml:1:1: a0: expected one of the keys", e.Message, StringComparison.Ordinal);

        var anchored = Assert.Throws<ConfigFormatException>(() => DaemonConfigLoader.Parse("horizon: &h 5\n", "c.yaml"));
        Assert.Equal("c.yaml:1:10: horizon: expected no anchors (&) or aliases (*), found the anchor &h", anchored.Message);
        var tagged = Assert.Throws<ConfigFormatException>(() => DaemonConfigLoader.Parse("horizon: !!int 20\n", "c.yaml"));
        Assert.Equal("c.yaml:1:10: horizon: expected a plain value without a tag, found the tag tag:yaml.org,2002:int", tagged.Message);
        var alias = Assert.Throws<ConfigFormatException>(() => DaemonConfigLoader.Parse("*h : 5\n", "c.yaml"));
        Assert.Contains("alias", alias.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EmptyOrCommentsOnly_GivesTheDefaults()
    {
        Assert.Equal(new DaemonConfig { Source = "e.yaml" }, DaemonConfigLoader.Parse(string.Empty, "e.yaml"));
        Assert.Equal(new DaemonConfig { Source = "e.yaml" }, DaemonConfigLoader.Parse("# nothing\n", "e.yaml"));
    }
}
