using System.Globalization;
using System.Text.Json;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Enforcement.Simulated;
using Gpupredict.Forecasting;
using Gpupredict.Manager.Planning;
using Gpupredict.Manager.Planning.Baselines;
using Gpupredict.Manager.Policies;
using Gpupredict.Simulation.Comparison;
using Gpupredict.Simulation.Replay;
using Gpupredict.Simulation.Reports;
using Gpupredict.Telemetry.Aggregation;
using Gpupredict.Telemetry.Datasets;
using Gpupredict.Telemetry.Traces;

namespace Gpupredict.Ctl.Commands;

/// <summary><c>gpupredictctl replay</c>: recorded traces through the pipeline on a simulated node, the allocation policies side by side.</summary>
internal static class ReplayCommand
{
    public const string Usage = """
        gpupredictctl replay [options] TRACE|FOLDER...
        gpupredictctl replay [options] --alibaba FOLDER
          Replays the GPU demand recorded in traces (PyTorch profiler JSON[.gz], Nsight Systems
          .sqlite) through forecaster -> planner -> simulated node, once per policy, and compares
          the policies: utilization, slack, applications per GPU, under-allocation, allocation wait.
          Policies: static-peak (request the peak), reactive (VPA-like, sized from the past),
          hami (fixed declared quotas, binpacked), forecast (ours), oracle (knows the future).
        options:
          --policy LIST         planning policies, comma-separated
                                (default: static-peak,reactive,hami,forecast,oracle)
          --forecaster NAME     forecaster of the forecast policy (default: ewma); the others use
                                their own (static-peak, hami: last-value; reactive: reactive-window;
                                oracle: the true future)
          --horizon N           forecast steps of 10 ms, 1..1000 (default: 10)
          --gpus N              GPUs on the simulated node, 1..256 (default: 1)
          --gpu-memory-gib X    memory per simulated GPU in GiB (default: 80, an H100 SXM5)
          --copies N            replay N copies of the applications, 1..64 (default: 1)
          --stagger-steps N     copy k starts k x N steps later, 0..1000000 (default: 50)
          --alibaba FOLDER      replay the pods of Alibaba's cluster-trace-v2026-GenAI instead of traces:
                                SM duty cycle and VRAM per pod, each pod arriving at its own first
                                sample; one step = one 57 s sample, NOT 10 ms
          --min-samples N       Alibaba pods with fewer samples are skipped, 1..1000000 (default: 100)
          --policies FILE       YAML priority policies (see policies/README.md): classes, floors and
                                ceilings per application (matched by process name), reserve,
                                oversubscription, suspend and migration (default: built-in defaults)
          --oversubscription X  override the policies' oversubscription factor, 1..4 (1 = off)
          --upper-quantile Q    the forecast quantile the forecast policy grants, 0.5..0.999 (default: 0.99)
          --mps                 the node runs MPS: the forecast policy sets each application's MPS
                                partition (for its next CUDA context) on arrival and on large share moves
          --work-conserving on|off
                                override the policies' node.work_conserving for the forecast policy: on =
                                reservations at the GPU's joint tail, limits into what nobody reserves;
                                off = upper-quantile hard caps
          --sweep               the trade-off instead of one run per policy: the baselines and the forecast
                                policy at p90, p99 and p99.9, with and without oversubscription, with hard
                                caps and work-conserving; --plots adds tradeoff.svg (density vs under-allocation)
          --fit-gpus BUDGET     also find, per policy, the fewest GPUs (bisection over 1..--gpus) on which it
                                keeps under-allocation within BUDGET of app-steps (e.g. 0.25% or 0.0025),
                                and its applications per GPU there; works with --sweep
                                (with --plots: node-size.svg)
          --details             also print one table per policy, per application
          --plots DIR           write comparison-sm.svg, comparison-vram.svg, comparison-bars.svg
          --json FILE           also write the results as JSON (written whole or not at all)
        """;

    public static int Run(ArgReader args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        string[] policies = (args.String("--policy") ?? string.Join(',', DefaultPolicies)).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string forecasterName = args.String("--forecaster") ?? "ewma";
        int horizon = args.Int("--horizon", 10, 1, 1000);
        int gpus = args.Int("--gpus", 1, 1, 256);
        double gib = args.Double("--gpu-memory-gib", 80, 1, 1 << 20);
        int copies = args.Int("--copies", 1, 1, 64);
        int stagger = args.Int("--stagger-steps", 50, 0, 1_000_000);
        bool details = args.Flag("--details");
        string? alibaba = args.String("--alibaba");
        int minSamples = args.Int("--min-samples", 100, 1, 1_000_000);
        string? policyFile = args.String("--policies");
        string? pods = args.String(PodSplit.Option);
        string? model = args.String("--model");
        double? oversubscription = args.String("--oversubscription") is null ? null : args.Double("--oversubscription", 1, 1, 4);
        double? upperQuantile = args.String("--upper-quantile") is null ? null : args.Double("--upper-quantile", 0.99, 0.5, 0.999);
        bool? workConserving = args.String("--work-conserving") switch
        {
            null => null,
            "on" => true,
            "off" => false,
            string other => throw new UsageException($"option --work-conserving: expected on or off; found '{other}'"),
        };
        bool mps = args.Flag("--mps");
        bool sweep = args.Flag("--sweep");
        string? plots = args.String("--plots");
        string? json = args.String("--json");
        double? fitBudget = args.String("--fit-gpus") is string b ? Budget(b) : null;
        args.RejectUnknown();
        if (policies.Length == 0)
        {
            throw new UsageException("option --policy: expected at least one policy name");
        }

        if (policies.Distinct(StringComparer.Ordinal).Count() != policies.Length)
        {
            throw new UsageException($"option --policy: a policy is named twice in '{string.Join(',', policies)}'");
        }

        _ = Known(() => Forecasters.Create(forecasterName, horizon, QuantileGrid.Planning));
        foreach (string p in policies)
        {
            _ = Known(() => Planners.Create(p));
            _ = Known(() => PolicyPairing.Probe(p, forecasterName, horizon));
        }

        if (alibaba is not null && args.Positional.Count > 0)
        {
            throw new UsageException("option --alibaba: replay either traces or the Alibaba pods, not both (their steps differ: 10 ms vs 57 s)");
        }

        if (alibaba is null && pods is not null)
        {
            throw new UsageException($"option {PodSplit.Option}: only with --alibaba");
        }

        if (model is not null && args.String("--forecaster") is not null)
        {
            throw new UsageException("options --model and --forecaster: the model file names its forecaster; give one of them");
        }

        Func<IForecaster>? trained = model is null ? null : LoadModel(model, horizon);
        forecasterName = trained?.Invoke().Name ?? forecasterName;
        IReadOnlyList<ReplayApp> loaded = alibaba is null
            ? LoadApps(TraceFiles.Expand(args.Positional), stderr, cancellationToken)
            : LoadPods(alibaba, minSamples, pods, cancellationToken);
        long stepNs = StepOf(loaded);
        double stepSeconds = stepNs / 1e9;
        PolicySet policySet = LoadPolicies(policyFile);
        ForecastPlannerOptions options = PolicyPlanning.Options(policySet.Node, stepNs);
        options = upperQuantile is double q ? options with { UpperQuantile = q } : options;
        options = workConserving is bool wc ? options with { WorkConserving = wc } : options;
        options = mps ? options with { MpsPartitions = true } : options;
        options = oversubscription is double factor ? options with { MaxOversubscription = factor } : options;
        var admission = new PolicyAdmission(policySet);
        IReadOnlyList<ReplayApp> apps = ReplayCopies.Make(loaded, copies, stagger);
        PolicyEntry[] entries = sweep
            ? Sweep(policies, forecasterName, horizon, apps, options, trained, model)
            : policies.Select(p => PolicyPairing.Entry(p, forecasterName, horizon, apps, options, trained, model)).ToArray();
        SimulatedGpuNode NodeOf(int n) => new(Enumerable.Range(0, n).Select(g => gib == 80 ? SimulatedGpuSpec.H100Sxm(g) : SimulatedGpuSpec.WithMemory(g, gib)).ToArray(), new SimulatedCosts { StepNs = stepNs });
        ComparisonResult comparison = PolicyComparison.Run(apps, entries, () => NodeOf(gpus), Progress(stderr), admission, cancellationToken);
        if (!Console.IsErrorRedirected)
        {
            stderr.Write("\r".PadRight(60) + "\r");
        }

        ReplayResult[] results = comparison.Runs.Select(r => r.Result).ToArray();
        ReplayReportWriter.Write(stdout, apps, results, details, stepSeconds);
        stdout.WriteLine();
        stdout.WriteLine("Policy comparison");
        ComparisonTableWriter.Write(stdout, comparison);
        if (plots is not null)
        {
            WritePlots(plots, comparison, sweep, stderr);
        }

        IReadOnlyList<NodeSize>? sizes = null;
        if (fitBudget is double budget)
        {
            sizes = NodeSizing.Fit(apps, entries, NodeOf, gpus, budget, (policy, n, missed) => stderr.WriteLine(Inv($"fit-gpus: {policy} on {n} GPUs: {missed * 100:0.00}% under-allocated")), admission, cancellationToken);
            stdout.WriteLine();
            stdout.WriteLine(Inv($"Smallest node within {budget * 100:0.###}% under-allocation"));
            NodeSizeTableWriter.Write(stdout, sizes, budget, gpus);
            if (plots is not null)
            {
                WriteSvg(Path.Combine(plots, NodeSizePlot.File), NodeSizePlot.Render(sizes, budget, gpus));
                stderr.WriteLine($"wrote {NodeSizePlot.File} in {plots}");
            }
        }

        if (json is not null)
        {
            PolicyFigures[] rows = [.. comparison.Figures];
            var document = new
            {
                Results = results,
                Comparison = rows,
                Targets = comparison.Find(ComparisonTableWriter.OwnPolicy) is { } own ? ComparisonTargets.Check(own.Figures) : [],
                NodeSizes = sizes,
            };
            AtomicFile.Write(json, stream => JsonSerializer.Serialize(stream, document, JsonOptions.Report));
            stderr.WriteLine($"wrote {json}");
        }

        return 0;
    }

    /// <summary>
    /// The sweep's entries: every named policy but forecast as given, then forecast at three upper
    /// quantiles with and without oversubscription, with hard caps and work-conserving ("wc"), each labelled.
    /// </summary>
    private static PolicyEntry[] Sweep(string[] policies, string forecaster, int horizon, IReadOnlyList<ReplayApp> apps, ForecastPlannerOptions options, Func<IForecaster>? trained, string? model)
    {
        var entries = new List<PolicyEntry>();
        foreach (string p in policies.Where(p => p != ForecastPlanner.PolicyName))
        {
            entries.Add(PolicyPairing.Entry(p, forecaster, horizon, apps, options, trained, model));
        }

        double factor = Math.Max(options.MaxOversubscription, 1.5);
        foreach (bool wc in (bool[])[false, true])
        {
            foreach (double q in (double[])[0.9, 0.99, 0.999])
            {
                foreach (double x in (double[])[1, factor])
                {
                    ForecastPlannerOptions o = options with { UpperQuantile = q, MaxOversubscription = x, WorkConserving = wc };
                    PolicyEntry entry = PolicyPairing.Entry(ForecastPlanner.PolicyName, forecaster, horizon, apps, o, trained, model);
                    entries.Add(entry with { Policy = string.Create(CultureInfo.InvariantCulture, $"forecast p{q * 100:0.#} x{x:0.##}{(wc ? " wc" : "")}") });
                }
            }
        }

        return [.. entries];
    }

    /// <summary>A share of application-steps: "0.25%" or "0.0025", in [0, 1).</summary>
    private static double Budget(string text)
    {
        string t = text.Trim();
        bool percent = t.EndsWith('%');
        if (!double.TryParse(percent ? t[..^1] : t, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
        {
            throw new UsageException($"option --fit-gpus: expected a share of app-steps such as 0.25% or 0.0025; found '{text}'");
        }

        double fraction = percent ? v / 100 : v;
        return fraction is >= 0 and < 1 ? fraction : throw new UsageException($"option --fit-gpus: expected a share in [0, 1) (0% to below 100%); found '{text}'");
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static IEnumerable<string> DefaultPolicies =>
        [StaticPeakPlanner.PolicyName, ReactivePlanner.PolicyName, HamiPlanner.PolicyName, ForecastPlanner.PolicyName, OraclePlanner.PolicyName];

    private static void WritePlots(string dir, ComparisonResult comparison, bool sweep, TextWriter stderr)
    {
        if (File.Exists(dir))
        {
            throw new UsageException($"option --plots: '{dir}' is a file; expected a folder (it is created when missing)");
        }

        Directory.CreateDirectory(dir);
        IEnumerable<(string File, string Svg)> documents = ComparisonPlots.Render(comparison);
        if (sweep)
        {
            documents = documents.Append((TradeoffPlot.File, TradeoffPlot.Render(comparison)));
        }

        foreach ((string file, string svg) in documents)
        {
            WriteSvg(Path.Combine(dir, file), svg);
        }

        stderr.WriteLine($"wrote {ComparisonPlots.SmFile}, {ComparisonPlots.VramFile}, {ComparisonPlots.BarsFile}{(sweep ? $", {TradeoffPlot.File}" : "")} in {dir}");
    }

    /// <summary>Writes one picture whole or not at all, UTF-8 without a byte-order mark.</summary>
    private static void WriteSvg(string path, string svg) => AtomicFile.Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        writer.Write(svg);
    });

    private static List<ReplayApp> LoadApps(IReadOnlyList<string> files, TextWriter stderr, CancellationToken cancellationToken)
    {
        var apps = new List<ReplayApp>();
        foreach (string file in files)
        {
            ImportedTrace trace = TraceImport.Load(file, cancellationToken);
            IReadOnlyList<DemandSeries> series = DemandAggregator.Aggregate(trace);
            if (series.Count == 0)
            {
                stderr.WriteLine($"{file}: no GPU activity, skipped");
            }

            apps.AddRange(series.Select(s => new ReplayApp(s, Priority.Default, DisplayName: DisplayName(file, s))));
        }

        return apps.Count > 0 ? apps : throw new UsageException("none of the traces has GPU activity to replay");
    }

    /// <summary>A factory of fresh copies of the saved model (each replay consumes one), checked against the replay's horizon (its levels are checked against each planner's when paired).</summary>
    private static Func<IForecaster> LoadModel(string path, int horizon)
    {
        byte[] bytes = File.ReadAllBytes(path);
        IForecaster Load()
        {
            using var stream = new MemoryStream(bytes, writable: false);
            return Forecasters.Load(stream);
        }

        IForecaster probe = Load();
        if (probe.Horizon != horizon)
        {
            throw new UsageException($"option --model: {path} forecasts {probe.Horizon} steps; this replay needs {horizon} steps (train it with the same --horizon)");
        }

        return Load;
    }

    private static PolicySet LoadPolicies(string? path)
    {
        try
        {
            return path is null ? PolicySet.BuiltIn : PolicyLoader.Load(path);
        }
        catch (PolicyFormatException e)
        {
            throw new UsageException($"option --policies: {e.Message}");
        }
    }

    /// <summary>The step all the applications' series share (traces: 10 ms; the Alibaba pods: their sampling period).</summary>
    private static long StepOf(IReadOnlyList<ReplayApp> apps)
    {
        long[] steps = [.. apps.Select(a => a.Series.StepNs).Distinct()];
        return steps.Length == 1 ? steps[0] : throw new UsageException($"the applications' series have different steps ({string.Join(", ", steps.Select(s => $"{s} ns"))}); a replay runs on one clock");
    }

    /// <summary>The Alibaba GenAI pods, each starting at the step of its first sample relative to the earliest pod.</summary>
    private static List<ReplayApp> LoadPods(string folder, int minSamples, string? pods, CancellationToken cancellationToken)
    {
        AlibabaGenAiData data = AlibabaGenAi.Load(folder, new AlibabaGenAiOptions { MinSamples = minSamples }, cancellationToken);
        data = data with { Series = PodSplit.Select(data.Series, pods) };
        if (data.Series.Count == 0)
        {
            throw new UsageException($"option --alibaba: no pod in '{folder}' has {minSamples} samples or more");
        }

        long first = data.Series.Min(s => s.OriginNs);
        double stepNs = data.StepSeconds * 1e9;
        return [.. data.Series.Select(s => new ReplayApp(s, Priority.Default, (long)Math.Round((s.OriginNs - first) / stepNs), s.Name))];
    }

    /// <summary>"file/process (pid)", the process name cut to keep tables readable.</summary>
    private static string DisplayName(string file, DemandSeries series)
    {
        string stem = Path.GetFileName(file);
        foreach (string ext in (string[])[".gz", ".json", ".sqlite"])
        {
            stem = stem.EndsWith(ext, StringComparison.Ordinal) ? stem[..^ext.Length] : stem;
        }

        string process = series.Name.Length > 20 ? series.Name[..19] + "~" : series.Name;
        return $"{stem}/{process}";
    }

    private static T Known<T>(Func<T> create)
    {
        try
        {
            return create();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static Action<string, long, long>? Progress(TextWriter stderr) =>
        Console.IsErrorRedirected ? null : (policy, step, total) => stderr.Write($"\r{policy}: step {step}/{total}   ");
}
