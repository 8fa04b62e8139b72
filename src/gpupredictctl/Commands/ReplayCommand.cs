using System.Globalization;
using Gpupredict.Core.Forecasts;
using Gpupredict.Core.Planning;
using Gpupredict.Enforcement.Simulated;
using Gpupredict.Forecasting;
using Gpupredict.Manager.Planning;
using Gpupredict.Manager.Policies;
using Gpupredict.Simulation.Comparison;
using Gpupredict.Simulation.Comparison.Policies;
using Gpupredict.Simulation.Replay;
using Microsoft.Extensions.DependencyInjection;

namespace Gpupredict.Ctl.Commands;

/// <summary>
/// <c>gpupredictctl replay</c>: recorded traces through the pipeline on a simulated node, the
/// allocation policies side by side. Parse (<see cref="ReplayOptions"/>) -> load
/// (<see cref="ReplayInputs"/>) -> set up (<see cref="ReplaySetup"/>, with the forecasters, planners
/// and comparison policies the host registered) -> run -> write (<see cref="ReplayOutput"/>).
/// </summary>
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
          --upper-quantile Q    override the policies' node.upper_quantile, the forecast quantile the forecast
                                policy grants, 0.5..0.999 (built-in default: 0.99)
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

    public static int Run(ArgReader args, IServiceProvider services, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        ReplayOptions o = ReplayOptions.Parse(args);
        var forecasters = services.GetRequiredService<ForecasterCatalog>();
        var planners = services.GetRequiredService<PlannerCatalog>();
        Dictionary<string, ComparisonPolicy> known = services.GetServices<ComparisonPolicy>().ToDictionary(p => p.Name, StringComparer.Ordinal);
        ComparisonPolicy[] policies = [.. o.Policies.Select(p => known.TryGetValue(p, out ComparisonPolicy? policy) ? policy
            : throw new UsageException($"option --policy: unknown policy '{p}'; known: {string.Join(", ", known.Keys)}"))];
        _ = Known(() => forecasters.Create(o.Forecaster, new ForecasterSpec(o.Horizon, QuantileGrid.Planning)), "--forecaster");
        ForecasterChoice choice = o.Model is null ? new ForecasterChoice(o.Forecaster) : ReplayInputs.LoadModel(o.Model, o.Horizon, forecasters);

        IReadOnlyList<ReplayApp> loaded = o.Alibaba is null
            ? ReplayInputs.LoadTraces(TraceFiles.Expand(o.Traces), stderr, cancellationToken)
            : ReplayInputs.LoadPods(o.Alibaba, o.MinSamples, o.Pods, cancellationToken);
        IReadOnlyList<ReplayApp> apps = Known(() => ReplayCopies.Make(loaded, o.Copies, o.StaggerSteps), "--copies");
        long stepNs = Known(() => ReplayApps.StepOf(apps.Select(a => a.Series)));
        GpuCapacity GpuOf(int g) => o.GpuMemoryGib == 80 ? SimulatedGpuSpec.H100Sxm(g) : SimulatedGpuSpec.WithMemory(g, o.GpuMemoryGib);
        PolicySet policySet = ReplayInputs.LoadPolicies(o.PolicyFile, (ulong)GpuOf(0).Capacity.VramBytes);
        foreach (PolicyWarning warning in policySet.Warnings)
        {
            stderr.WriteLine($"warning: {warning}");
        }

        ForecastPlannerOptions options = Overridden(PolicyPlanning.Options(policySet.Node, stepNs), o);
        SimulatedGpuNode NodeOf(int n) => new([.. Enumerable.Range(0, n).Select(GpuOf)], new SimulatedCosts { StepNs = stepNs });
        var setup = new ReplaySetup(apps, new PolicyAdmission(policySet), forecasters, o.Horizon, NodeOf, o.Gpus);
        PolicyEntry[] entries = Known(() => o.Sweep ? Sweep(setup, policies, planners, options, choice) : [.. policies.Select(p => setup.Entry(p, () => planners.Create(p.Planner, options), choice))], o.Model is null ? null : "--model");

        ComparisonResult comparison = setup.Compare(entries, Progress(stderr), cancellationToken);
        if (!Console.IsErrorRedirected)
        {
            stderr.Write("\r".PadRight(60) + "\r");
        }

        ReplayOutput.WriteComparison(o, setup, comparison, stdout, stderr);
        IReadOnlyList<NodeSize>? sizes = o.FitBudget is double budget
            ? setup.Fit(entries, budget, (policy, n, missed) => stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fit-gpus: {policy} on {n} GPUs: {missed * 100:0.00}% under-allocated")), cancellationToken)
            : null;
        ReplayOutput.WriteSizes(o, setup, comparison, sizes, stdout, stderr);
        return 0;
    }

    /// <summary>The node policy's planner options with the command's overrides (each only when given).</summary>
    private static ForecastPlannerOptions Overridden(ForecastPlannerOptions options, ReplayOptions o)
    {
        options = o.UpperQuantile is double q ? options with { UpperQuantile = q } : options;
        options = o.WorkConserving is bool wc ? options with { WorkConserving = wc } : options;
        options = o.Mps ? options with { MpsPartitions = true } : options;
        return o.Oversubscription is double factor ? options with { MaxOversubscription = factor } : options;
    }

    /// <summary>
    /// The sweep's entries: every named policy but forecast as given, then forecast at three upper
    /// quantiles with and without oversubscription, with hard caps and work-conserving ("wc"), each labelled.
    /// </summary>
    private static PolicyEntry[] Sweep(ReplaySetup setup, ComparisonPolicy[] policies, PlannerCatalog planners, ForecastPlannerOptions options, ForecasterChoice choice)
    {
        var entries = new List<PolicyEntry>();
        foreach (ComparisonPolicy p in policies.Where(p => p != ComparisonPolicies.Forecast))
        {
            entries.Add(setup.Entry(p, () => planners.Create(p.Planner, options), choice));
        }

        double factor = Math.Max(options.MaxOversubscription, 1.5);
        foreach (bool wc in (bool[])[false, true])
        {
            foreach (double q in (double[])[0.9, 0.99, 0.999])
            {
                foreach (double x in (double[])[1, factor])
                {
                    ForecastPlannerOptions variant = options with { UpperQuantile = q, MaxOversubscription = x, WorkConserving = wc };
                    string label = string.Create(CultureInfo.InvariantCulture, $"forecast p{q * 100:0.#} x{x:0.##}{(wc ? " wc" : "")}");
                    entries.Add(setup.Entry(ComparisonPolicies.Forecast, () => planners.Create(ComparisonPolicies.Forecast.Planner, variant), choice, label));
                }
            }
        }

        return [.. entries];
    }

    private static T Known<T>(Func<T> create, string? option = null)
    {
        try
        {
            return create();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(option is null ? e.Message : $"option {option}: {e.Message}");
        }
    }

    private static Action<string, long, long>? Progress(TextWriter stderr) =>
        Console.IsErrorRedirected ? null : (policy, step, total) => stderr.Write($"\r{policy}: step {step}/{total}   ");
}
