using Gpupredict.Core.Events;
using Gpupredict.Telemetry.Traces;

namespace Gpupredict.Ctl.Tests;

/// <summary>
/// <c>gpupredictctl import --export</c>: one event file per process whose allocations and kernels are
/// the trace's, a clear error on bad input, and files that gpupredict-loadgen replays call for call.
/// </summary>
public sealed class ImportExportTests : IDisposable
{
    private const string DfIndex = "kineto/df-index-resolver-v100.json.gz";
    private const string Amd = "kineto/amd-mi250-minitoy.json.gz";
    private readonly string _dir = Directory.CreateTempSubdirectory("gpupredictctl-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Export_DfIndex_OneFileWhoseAllocationsAndKernelsAreTheTraces()
    {
        string trace = RepoPaths.Fixture(DfIndex);
        (int code, string stdout, string stderr) = Cli.Run("import", "--export", _dir, trace);

        Assert.True(code == 0, stderr);
        string file = Assert.Single(Directory.GetFiles(_dir));
        Assert.Equal("df-index-resolver-v100.json.gz.783658.gpev", Path.GetFileName(file));
        Assert.Contains($"  exported {file}: ", stdout, StringComparison.Ordinal);

        TraceProcess p = Assert.Single(TraceImport.Load(trace).Processes);
        EventFile exported = EventFile.Read(file);
        Assert.Equal(783658u, exported.Pid);
        Assert.Equal("df-index-resolver-v100.json.gz", exported.Source);
        Assert.Equal(
            p.Events.Where(e => e.Kind.IsDeviceAlloc() && e.Bytes > 0).Select(e => e.Bytes).Order(),
            exported.Events.Where(e => e.Kind == GpuEventKind.Alloc).Select(e => e.Bytes).Order());
        Assert.Equal(p.Events.Count(e => e.Kind == GpuEventKind.KernelExec), exported.Events.Count(e => e.Kind == GpuEventKind.KernelExec));
        Assert.Equal(p.Events.Count(e => e.Kind.IsTransfer() && e.Kind != GpuEventKind.MemcpyHtoH), exported.Events.Count(e => e.Kind.IsTransfer()));
    }

    [Fact]
    public void Export_CpuOnlyTrace_WritesNothingAndSaysWhy()
    {
        (int code, string stdout, string stderr) = Cli.Run("import", "--export", _dir, RepoPaths.Fixture("kineto/cpu-only-rank34.json.gz"));

        Assert.True(code == 0, stderr);
        Assert.Empty(Directory.GetFiles(_dir));
        Assert.Contains("no event file for pid 1074: nothing to replay", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_NotATrace_ExitOneWithOneLineNamingTheFile()
    {
        string bad = Path.Combine(_dir, "garbage.json");
        File.WriteAllText(bad, "[1, 2");
        string into = Path.Combine(_dir, "out");
        (int code, _, string stderr) = Cli.Run("import", "--export", into, bad);

        Assert.Equal(1, code);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"gpupredictctl: {bad}: ", line, StringComparison.Ordinal);
        Assert.Contains("expected", line, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(into));
    }

    /// <summary>The AMD toy trace: 14 kernels and 2 copies, replayed at 10x on the test double.</summary>
    [LoadgenFact]
    public void Loadgen_ExportedFile_ReplaysEveryKernelAndCopy()
    {
        (int code, _, string stderr) = Cli.Run("import", "--export", _dir, RepoPaths.Fixture(Amd));
        Assert.True(code == 0, stderr);
        string file = Assert.Single(Directory.GetFiles(_dir, "*.gpev"));
        GpuEvent[] events = EventFile.Read(file).Events;

        (int exit, Dictionary<string, long> n, string err) = Loadgen.Run("--quiet", "--speed", "10", file);

        Assert.True(exit == 0, err);
        Assert.Equal(events.Length, n["events"]);
        Assert.Equal(events.Count(e => e.Kind == GpuEventKind.KernelExec), n["launches"]);
        Assert.Equal(events.Count(e => e.Kind.IsTransfer()), n["copies"]);
        Assert.Equal(events.Where(e => e.Kind.IsTransfer()).Sum(e => (long)e.Bytes), n["bytes_copied"]);
        Assert.Equal(0, n["launch_failed"] + n["copy_failed"] + n["alloc_failed"]);
        Assert.Equal(1, n["laps"]);
    }

    /// <summary>A file cut short is refused before any driver call: exit 2, one line naming it.</summary>
    [LoadgenFact]
    public void Loadgen_TruncatedFile_ExitTwoNamingTheCount()
    {
        Cli.Run("import", "--export", _dir, RepoPaths.Fixture(Amd));
        string file = Assert.Single(Directory.GetFiles(_dir, "*.gpev"));
        byte[] bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, bytes[..^1]);

        (int exit, Dictionary<string, long> n, string err) = Loadgen.Run("--quiet", file);

        Assert.Equal(2, exit);
        Assert.Empty(n);
        Assert.Equal($"gpupredict-loadgen: {file}: header: count: ", err.Trim()[..($"gpupredict-loadgen: {file}: header: count: ".Length)]);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
