using System.Globalization;
using Gpupredict.Simulation.Comparison.Policies;

namespace Gpupredict.Ctl.Commands;

/// <summary><c>gpupredictctl replay</c>'s options, parsed and checked (every mistake a usage error naming the option).</summary>
internal sealed record ReplayOptions
{
    public required string[] Policies { get; init; }

    public string Forecaster { get; init; } = "ewma";

    public bool ForecasterGiven { get; init; }

    public int Horizon { get; init; } = 10;

    public int Gpus { get; init; } = 1;

    public double GpuMemoryGib { get; init; } = 80;

    public int Copies { get; init; } = 1;

    public int StaggerSteps { get; init; } = 50;

    public bool Details { get; init; }

    public string? Alibaba { get; init; }

    public int MinSamples { get; init; } = 100;

    public string? PolicyFile { get; init; }

    public string? Pods { get; init; }

    public string? Model { get; init; }

    public double? Oversubscription { get; init; }

    public double? UpperQuantile { get; init; }

    public bool? WorkConserving { get; init; }

    public bool Mps { get; init; }

    public bool Sweep { get; init; }

    public string? Plots { get; init; }

    public string? Json { get; init; }

    public double? FitBudget { get; init; }

    public required IReadOnlyList<string> Traces { get; init; }

    public static ReplayOptions Parse(ArgReader args)
    {
        string[] policies = (args.String("--policy") ?? string.Join(',', ComparisonPolicies.All.Select(p => p.Name))).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var o = new ReplayOptions
        {
            Policies = policies,
            Forecaster = args.String("--forecaster") ?? "ewma",
            ForecasterGiven = args.String("--forecaster") is not null,
            Horizon = args.Int("--horizon", 10, 1, 1000),
            Gpus = args.Int("--gpus", 1, 1, 256),
            GpuMemoryGib = args.Double("--gpu-memory-gib", 80, 1, 1 << 20),
            Copies = args.Int("--copies", 1, 1, 64),
            StaggerSteps = args.Int("--stagger-steps", 50, 0, 1_000_000),
            Details = args.Flag("--details"),
            Alibaba = args.String("--alibaba"),
            MinSamples = args.Int("--min-samples", 100, 1, 1_000_000),
            PolicyFile = args.String("--policies"),
            Pods = args.String(PodSplit.Option),
            Model = args.String("--model"),
            Oversubscription = args.String("--oversubscription") is null ? null : args.Double("--oversubscription", 1, 1, 4),
            UpperQuantile = args.String("--upper-quantile") is null ? null : args.Double("--upper-quantile", 0.99, 0.5, 0.999),
            WorkConserving = args.String("--work-conserving") switch
            {
                null => null,
                "on" => true,
                "off" => false,
                string other => throw new UsageException($"option --work-conserving: expected on or off; found '{other}'"),
            },
            Mps = args.Flag("--mps"),
            Sweep = args.Flag("--sweep"),
            Plots = args.String("--plots"),
            Json = args.String("--json"),
            FitBudget = args.String("--fit-gpus") is string b ? Budget(b) : null,
            Traces = args.Positional,
        };
        args.RejectUnknown();
        o.Check();
        return o;
    }

    private void Check()
    {
        if (Policies.Length == 0)
        {
            throw new UsageException("option --policy: expected at least one policy name");
        }

        if (Policies.Distinct(StringComparer.Ordinal).Count() != Policies.Length)
        {
            throw new UsageException($"option --policy: a policy is named twice in '{string.Join(',', Policies)}'");
        }

        if (Alibaba is not null && Traces.Count > 0)
        {
            throw new UsageException("option --alibaba: replay either traces or the Alibaba pods, not both (their steps differ: 10 ms vs 57 s)");
        }

        if (Alibaba is null && Pods is not null)
        {
            throw new UsageException($"option {PodSplit.Option}: only with --alibaba");
        }

        if (Model is not null && ForecasterGiven)
        {
            throw new UsageException("options --model and --forecaster: the model file names its forecaster; give one of them");
        }
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
}
