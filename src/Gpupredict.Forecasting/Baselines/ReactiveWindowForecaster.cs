using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting.Persistence;

namespace Gpupredict.Forecasting.Baselines;

/// <summary>
/// The forecast a reactive, VPA-like autoscaler acts on, built from the past only: every
/// <see cref="ReactiveWindowOptions.RecomputeEverySteps"/> observed steps (and at the first) the VRAM
/// size becomes the maximum VRAM seen over the last <see cref="ReactiveWindowOptions.WindowSteps"/>
/// steps and the SM size the <see cref="ReactiveWindowOptions.SmPercentile"/> of SM seen over them,
/// each times (1 + <see cref="ReactiveWindowOptions.Margin"/>), SM clamped to [0, 1]. Between
/// recomputes the VRAM size only grows: when use reaches it, it becomes
/// max(size, use) × <see cref="ReactiveWindowOptions.OomBump"/>, as VPA bumps memory after an
/// out-of-memory kill. Every step of the horizon and every level carry those two numbers
/// (bandwidth: the last value seen).
/// </summary>
public sealed class ReactiveWindowForecaster : IForecaster
{
    /// <summary>The policy name.</summary>
    public const string PolicyName = "reactive-window";

    private const ushort PayloadVersion = 1;

    private readonly Dictionary<AppId, History> _apps = [];
    private readonly double[] _levels;
    private readonly double[] _scratch;

    /// <summary>Creates the forecaster.</summary>
    /// <param name="horizon">Steps forecast ahead, ≥ 1.</param>
    /// <param name="levels">Quantile levels, increasing, inside (0, 1).</param>
    /// <param name="options">Window, cadence and margins; defaults when null.</param>
    public ReactiveWindowForecaster(int horizon, IReadOnlyList<double> levels, ReactiveWindowOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        Options = options ?? new ReactiveWindowOptions();
        Options.Validate();
        Horizon = horizon;
        _levels = LevelsPayload.Validated(levels);
        _scratch = new double[Options.WindowSteps];
    }

    /// <summary>The settings.</summary>
    public ReactiveWindowOptions Options { get; }

    /// <inheritdoc />
    public string Name => PolicyName;

    /// <inheritdoc />
    public int Horizon { get; }

    /// <inheritdoc />
    public ReadOnlySpan<double> Levels => _levels;

    /// <summary>Nothing to learn. Clears the streaming state.</summary>
    public void Fit(IReadOnlyList<DemandSeries> training, int seed) => _apps.Clear();

    /// <summary>Writes the horizon, levels and settings.</summary>
    public void Save(Stream destination)
    {
        using BinaryWriter w = ForecasterFile.Begin(destination, PolicyName, PayloadVersion);
        LevelsPayload.Write(w, Horizon, _levels);
        w.Write(Options.WindowSteps);
        w.Write(Options.RecomputeEverySteps);
        w.Write(Options.Margin);
        w.Write(Options.SmPercentile);
        w.Write(Options.OomBump);
    }

    /// <summary>Reads what <see cref="Save"/> wrote, after the envelope header.</summary>
    internal static ReactiveWindowForecaster Load(BinaryReader reader, ushort payloadVersion)
    {
        ForecasterFile.RequireVersion(PolicyName, payloadVersion, PayloadVersion);
        (int horizon, double[] levels) = LevelsPayload.Read(reader, PolicyName);
        var options = new ReactiveWindowOptions
        {
            WindowSteps = reader.ReadInt32(),
            RecomputeEverySteps = reader.ReadInt32(),
            Margin = reader.ReadDouble(),
            SmPercentile = reader.ReadDouble(),
            OomBump = reader.ReadDouble(),
        };
        return new ReactiveWindowForecaster(horizon, levels, options);
    }

    /// <inheritdoc />
    public void Observe(AppId app, long step, ResourceVector demand)
    {
        if (!_apps.TryGetValue(app, out History? h))
        {
            h = new History(Options.WindowSteps);
            _apps.Add(app, h);
        }
        else if (step <= h.LastStep)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, $"steps must increase; the last one was {h.LastStep}");
        }

        h.Push(step, demand);
        if (h.Count == 1 || h.SinceRecompute >= Options.RecomputeEverySteps)
        {
            Recompute(h);
        }
        else if (demand.VramBytes > 0 && demand.VramBytes >= h.VramSize)
        {
            h.VramSize = Math.Max(h.VramSize, demand.VramBytes) * Options.OomBump;
        }
    }

    /// <inheritdoc />
    public Forecast Predict(AppId app)
    {
        if (!_apps.TryGetValue(app, out History? h))
        {
            throw new InvalidOperationException($"no demand observed for application {app}");
        }

        var size = new ResourceVector(h.SmSize, h.LastBandwidth, h.VramSize);
        return FlatValues.Build(app, h.LastStep, Horizon, _levels, _ => size);
    }

    /// <inheritdoc />
    public void Forget(AppId app) => _apps.Remove(app);

    private void Recompute(History h)
    {
        int n = h.Filled;
        double vramMax = 0;
        for (int i = 0; i < n; i++)
        {
            vramMax = Math.Max(vramMax, h.Vram[i]);
            _scratch[i] = h.Sm[i];
        }

        Span<double> sm = _scratch.AsSpan(0, n);
        sm.Sort();
        // Nearest-rank percentile: the smallest value with at least that share of samples at or below it.
        int rank = Math.Clamp((int)Math.Ceiling((Options.SmPercentile * n) - 1e-9) - 1, 0, n - 1);
        h.SmSize = Math.Clamp(sm[rank] * (1 + Options.Margin), 0, 1);
        h.VramSize = vramMax * (1 + Options.Margin);
        h.SinceRecompute = 0;
    }

    /// <summary>One application's last <c>WindowSteps</c> samples (a ring) and its current sizes.</summary>
    private sealed class History(int window)
    {
        public double[] Sm { get; } = new double[window];

        public double[] Vram { get; } = new double[window];

        public long Count { get; private set; }

        public int Filled => (int)Math.Min(Count, Sm.Length);

        public long LastStep { get; private set; } = long.MinValue;

        public double LastBandwidth { get; private set; }

        public int SinceRecompute { get; set; }

        public double SmSize { get; set; }

        public double VramSize { get; set; }

        public void Push(long step, ResourceVector demand)
        {
            int slot = (int)(Count % Sm.Length);
            Sm[slot] = demand.SmFraction;
            Vram[slot] = demand.VramBytes;
            LastBandwidth = demand.BandwidthBytesPerSecond;
            LastStep = step;
            Count++;
            SinceRecompute++;
        }
    }
}
