using System.Globalization;
using System.Text;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Events;
using Gpupredict.Simulation.Reports;
using Gpupredict.Telemetry.Aggregation;
using Gpupredict.Telemetry.Traces;

namespace Gpupredict.Ctl.Commands;

/// <summary><c>gpupredictctl import</c>: reads traces and says what they hold; optionally writes the 10 ms series as CSV.</summary>
internal static class ImportCommand
{
    public const string Usage = """
        gpupredictctl import [--csv FOLDER] [--export FOLDER] TRACE|FOLDER...
          Imports traces and prints, per process: events by kind, kernel and transfer totals, the
          10 ms demand series it yields and which signals the format can and cannot observe.
        options:
          --csv FOLDER          write each process's series as FOLDER/<trace>.<pid>.csv
                                (step, time_ms, sm_fraction, bandwidth_bytes_per_s, vram_bytes)
          --export FOLDER       write each process's replayable driver activity as the event file
                                FOLDER/<trace>.<pid>.gpev, for gpupredict-loadgen (docs/event-file.md)
        """;

    public static int Run(ArgReader args, TextWriter stdout, CancellationToken cancellationToken)
    {
        string? csv = args.String("--csv");
        string? export = args.String("--export");
        args.RejectUnknown();
        IReadOnlyList<string> files = TraceFiles.Expand(args.Positional);
        foreach (string? folder in new[] { csv, export })
        {
            if (folder is not null)
            {
                Directory.CreateDirectory(folder);
            }
        }

        foreach (string file in files)
        {
            ImportedTrace trace = TraceImport.Load(file, cancellationToken);
            IReadOnlyList<DemandSeries> series = DemandAggregator.Aggregate(trace);
            WriteSummary(stdout, trace, series);
            if (csv is not null)
            {
                foreach (DemandSeries s in series)
                {
                    string path = Path.Combine(csv, $"{Path.GetFileName(file)}.{s.App.Pid}.csv");
                    AtomicFile.Write(path, stream => WriteCsv(stream, s));
                    stdout.WriteLine($"  wrote {path}");
                }
            }

            if (export is not null)
            {
                Export(stdout, trace, Path.GetFileName(file), export);
            }
        }

        return 0;
    }

    /// <summary>Writes one event file per process that has anything to replay, with a line for each.</summary>
    private static void Export(TextWriter stdout, ImportedTrace trace, string name, string folder)
    {
        foreach (TraceProcess p in trace.Processes)
        {
            EventFile file = EventFileExport.From(p, name);
            if (file.Events.Length == 0)
            {
                stdout.WriteLine($"  no event file for pid {p.App.Pid}: nothing to replay (no allocations, kernels, copies or waits)");
                continue;
            }

            string path = Path.Combine(folder, $"{name}.{p.App.Pid}.gpev");
            AtomicFile.Write(path, file.Write);
            int allocs = 0, kernels = 0, copies = 0;
            foreach (ref readonly GpuEvent e in file.Events.AsSpan())
            {
                allocs += e.Kind == GpuEventKind.Alloc ? 1 : 0;
                kernels += e.Kind == GpuEventKind.KernelExec ? 1 : 0;
                copies += e.Kind.IsTransfer() ? 1 : 0;
            }

            stdout.WriteLine($"  exported {path}: {Count(file.Events.Length)} events ({Count(allocs)} allocations, {Count(kernels)} kernels, {Count(copies)} copies and sets) over {Units.Duration(file.SpanNs)}");
        }
    }

    private static void WriteSummary(TextWriter w, ImportedTrace trace, IReadOnlyList<DemandSeries> series)
    {
        w.WriteLine($"{trace.Path}: {trace.Format}, {trace.Processes.Count} process(es), observed: {ReplayReportWriter.Describe(trace.Observed)}");
        var table = new TextTable("process", "pid", "events", "kernels", "copies", "copy bytes", "allocs", "span", "10 ms steps");
        foreach (TraceProcess p in trace.Processes)
        {
            int kernels = 0, copies = 0, allocs = 0;
            double copyBytes = 0;
            foreach (ref readonly GpuEvent e in p.Events.AsSpan())
            {
                kernels += e.Kind == GpuEventKind.KernelExec ? 1 : 0;
                allocs += e.Kind.IsDeviceAlloc() ? 1 : 0;
                if (e.Kind.IsTransfer())
                {
                    copies++;
                    copyBytes += e.Bytes;
                }
            }

            double span = p.Events.Length == 0 ? 0 : p.Events.Max(e => e.EndNs) - p.Events[0].TimestampNs;
            int steps = series.FirstOrDefault(s => s.App == p.App)?.Count ?? 0;
            table.Add(p.Name, p.App.Pid.ToString(CultureInfo.InvariantCulture), Count(p.Events.Length), Count(kernels), Count(copies),
                Units.Bytes(copyBytes), Count(allocs), Units.Duration(span), Count(steps));
        }

        table.WriteTo(w);
        foreach (string limitation in trace.Limitations)
        {
            w.WriteLine($"  cannot observe: {limitation}");
        }

        w.WriteLine();
    }

    private static void WriteCsv(Stream stream, DemandSeries s)
    {
        using var w = new StreamWriter(stream, new UTF8Encoding(false));
        w.WriteLine("step,time_ms,sm_fraction,bandwidth_bytes_per_s,vram_bytes");
        for (int i = 0; i < s.Count; i++)
        {
            ResourceVector d = s[i];
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{i},{i * 10},{d.SmFraction:R},{d.BandwidthBytesPerSecond:R},{d.VramBytes:R}"));
        }
    }

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);
}
