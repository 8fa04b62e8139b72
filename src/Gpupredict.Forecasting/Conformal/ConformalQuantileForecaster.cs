using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting.Persistence;

namespace Gpupredict.Forecasting.Conformal;

/// <summary>
/// Calibrated intervals around any forecaster (policy "conformal-&lt;inner&gt;"). Fit trains the inner
/// forecaster on some training applications and collects split-conformal scores on the others, from
/// their first step (or, with few series, on the held-out tail of each: <see cref="Fit"/>;
/// <see cref="CalibrationScores"/>); every central interval (0.1..0.9, 0.01..0.99, ...) is then
/// widened or narrowed by the score quantile for its coverage, per resource and horizon step.
/// Online, each application's corrections then track its own misses (<see cref="AciState"/>), so
/// coverage holds under drift. The median is the inner forecaster's.
/// Levels must be symmetric around 0.5.
/// </summary>
public sealed class ConformalQuantileForecaster : IActivityForecaster
{
    /// <summary>Policy names of wrapped forecasters start with this.</summary>
    public const string Prefix = "conformal-";

    private const ushort PayloadVersion = 1;

    private readonly IForecaster _inner;
    private readonly double[] _levels;
    private readonly Dictionary<AppId, AciState> _apps = [];
    private CalibrationScores _scores;
    private readonly double[] _nominalAlpha;
    private double[] _splitCorrection;
    private double[] _eta;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The forecaster whose intervals are calibrated.</param>
    /// <param name="calibrationFraction">Share of the training series (or, with few series, of each series) held out for calibration, in (0, 1); default 0.3.</param>
    /// <param name="gamma">Online step per scored point as a fraction of the calibration scores' spread, ≥ 0 (0 = split conformal only); default 0.02.</param>
    public ConformalQuantileForecaster(IForecaster inner, double calibrationFraction = 0.3, double gamma = 0.02)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (!(calibrationFraction > 0 && calibrationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(calibrationFraction), calibrationFraction, "expected a fraction in (0, 1)");
        }

        if (!(gamma >= 0 && gamma < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "expected a step in [0, 1)");
        }

        IntervalPairs.RequireSymmetric(inner.Levels);
        _inner = inner;
        _levels = inner.Levels.ToArray();
        CalibrationFraction = calibrationFraction;
        Gamma = gamma;
        _scores = new CalibrationScores(IntervalPairs.Count(_levels), inner.Horizon);
        _nominalAlpha = NominalAlpha();
        (_splitCorrection, _eta) = OnlineStart();
    }

    /// <inheritdoc />
    public string Name => Prefix + _inner.Name;

    /// <inheritdoc />
    public int Horizon => _inner.Horizon;

    /// <inheritdoc />
    public ReadOnlySpan<double> Levels => _levels;

    /// <summary>Share of each training series held out for calibration.</summary>
    public double CalibrationFraction { get; }

    /// <summary>The adaptive step.</summary>
    public double Gamma { get; }

    /// <summary>
    /// With at least this many training series, calibration holds out whole applications rather than
    /// the tails of every series.
    /// </summary>
    public const int MinSeriesForApplicationCalibration = 5;

    /// <summary>
    /// Whether the last <see cref="Fit"/> calibrated on applications the inner forecaster was not
    /// fitted on (true), or on the held-out tails of series it was fitted on (false).
    /// </summary>
    public bool CalibratedOnApplications { get; private set; }

    /// <inheritdoc />
    /// <remarks>
    /// With <see cref="MinSeriesForApplicationCalibration"/> or more series, a seeded
    /// <see cref="CalibrationFraction"/> of them (at least one) is held out whole: the inner forecaster
    /// is fitted on the others and the held-out ones are streamed from their first step to collect the
    /// scores, so that the intervals are calibrated on applications the model has never seen, as the
    /// daemon serves them. With fewer, the last <see cref="CalibrationFraction"/> of every series is the
    /// calibration part.
    /// </remarks>
    public void Fit(IReadOnlyList<DemandSeries> training, int seed)
    {
        ArgumentNullException.ThrowIfNull(training);
        CalibratedOnApplications = training.Count >= MinSeriesForApplicationCalibration;
        bool[] heldOut = CalibratedOnApplications ? HeldOut(training.Count, seed) : new bool[training.Count];
        var fitParts = new List<DemandSeries>(training.Count);
        for (int i = 0; i < training.Count; i++)
        {
            DemandSeries s = training[i];
            int cut = CalibratedOnApplications ? (heldOut[i] ? 0 : s.Count) : Cut(s);
            if (cut >= 2)
            {
                fitParts.Add(cut == s.Count ? s : s.Head(cut));
            }
        }

        _inner.Fit(fitParts, seed);
        _scores = new CalibrationScores(IntervalPairs.Count(_levels), Horizon);
        for (int i = 0; i < training.Count; i++)
        {
            if (!CalibratedOnApplications || heldOut[i])
            {
                Calibrate(training[i], CalibratedOnApplications ? 0 : Cut(training[i]));
            }
        }

        _scores.Seal();
        (_splitCorrection, _eta) = OnlineStart();
        _apps.Clear();
    }

    /// <summary>Which of <paramref name="count"/> series calibrate: a seeded draw of ceil(count × fraction), at most count − 1.</summary>
    private bool[] HeldOut(int count, int seed)
    {
        int[] order = [.. Enumerable.Range(0, count)];
        new Random(seed).Shuffle(order);
        int held = Math.Clamp((int)Math.Ceiling(count * CalibrationFraction), 1, count - 1);
        bool[] heldOut = new bool[count];
        foreach (int i in order.AsSpan(0, held))
        {
            heldOut[i] = true;
        }

        return heldOut;
    }

    /// <inheritdoc />
    public void Observe(AppId app, long step, ResourceVector demand) => Observe(app, step, demand, default);

    /// <inheritdoc />
    /// <remarks>Activity goes to the inner forecaster when it learns from it; the intervals use demand only.</remarks>
    public void Observe(AppId app, long step, ResourceVector demand, ReadOnlySpan<double> activity)
    {
        _inner.Feed(app, step, demand, activity);
        if (_apps.TryGetValue(app, out AciState? state))
        {
            state.Update(step, demand, _eta, _nominalAlpha, _scores.Pairs);
        }
    }

    /// <inheritdoc />
    public Forecast Predict(AppId app)
    {
        Forecast raw = _inner.Predict(app);
        if (!_apps.TryGetValue(app, out AciState? state))
        {
            state = new AciState(_scores.Cells, Horizon, _splitCorrection);
            _apps.Add(app, state);
        }

        double[] values = Adjust(raw, state.Correction, out double[] lo, out double[] hi);
        state.Remember(raw.OriginStep, lo, hi);
        return new Forecast(app, raw.OriginStep, Horizon, _levels, values);
    }

    /// <inheritdoc />
    public void Forget(AppId app)
    {
        _inner.Forget(app);
        _apps.Remove(app);
    }

    /// <inheritdoc />
    public void Save(Stream destination)
    {
        using BinaryWriter w = ForecasterFile.Begin(destination, Name, PayloadVersion);
        w.Write(CalibrationFraction);
        w.Write(Gamma);
        using (var inner = new MemoryStream())
        {
            _inner.Save(inner);
            w.Write(inner.Length);
            w.Write(inner.GetBuffer(), 0, (int)inner.Length);
        }

        w.Write(_scores.Cells);
        for (int cell = 0; cell < _scores.Cells; cell++)
        {
            ReadOnlySpan<double> sorted = _scores.Sorted(cell);
            w.Write(sorted.Length);
            foreach (double v in sorted)
            {
                w.Write(v);
            }
        }
    }

    /// <summary>Reads what <see cref="Save"/> wrote, after the envelope header.</summary>
    internal static ConformalQuantileForecaster Load(BinaryReader reader, string policy, ushort payloadVersion, Func<Stream, IForecaster> loadInner)
    {
        ForecasterFile.RequireVersion(policy, payloadVersion, PayloadVersion);
        double fraction = reader.ReadDouble();
        double gamma = reader.ReadDouble();
        long innerLength = reader.ReadInt64();
        if (innerLength is < 0 or > int.MaxValue)
        {
            throw new ForecasterFormatException($"saved '{policy}' forecaster: inner model of {innerLength} bytes");
        }

        IForecaster inner;
        try
        {
            inner = loadInner(new MemoryStream(reader.ReadBytes((int)innerLength)));
        }
        catch (ForecasterFormatException e)
        {
            throw new ForecasterFormatException($"saved '{policy}' forecaster's inner model: {e.Message}");
        }

        var loaded = new ConformalQuantileForecaster(inner, fraction, gamma);
        int cells = reader.ReadInt32();
        if (cells != loaded._scores.Cells)
        {
            throw new ForecasterFormatException($"saved '{policy}' forecaster has {cells} calibration cells, expected {loaded._scores.Cells}");
        }

        for (int cell = 0; cell < cells; cell++)
        {
            int n = reader.ReadInt32();
            if (n is < 0 or > 100_000_000)
            {
                throw new ForecasterFormatException($"saved '{policy}' forecaster: calibration cell {cell} claims {n} scores");
            }

            double[] sorted = new double[n];
            for (int i = 0; i < n; i++)
            {
                sorted[i] = reader.ReadDouble();
            }

            loaded._scores.SetSorted(cell, sorted);
        }

        (loaded._splitCorrection, loaded._eta) = loaded.OnlineStart();
        return loaded;
    }

    private int Cut(DemandSeries s) => (int)(s.Count * (1 - CalibrationFraction));

    /// <summary>Streams one series through the inner forecaster, scoring its intervals on the steps from <paramref name="cut"/> on.</summary>
    private void Calibrate(DemandSeries s, int cut)
    {
        var probe = new AppId(-1, (ulong)s.GetHashCode());
        for (int t = 0; t < s.Count - 1; t++)
        {
            _inner.ObserveStep(probe, t, s, t);
            if (t + 1 < cut)
            {
                continue;
            }

            Forecast f = _inner.Predict(probe);
            for (int h = 0; h < Horizon && t + 1 + h < s.Count; h++)
            {
                ResourceVector y = s[t + 1 + h];
                for (int p = 0; p < _scores.Pairs; p++)
                {
                    foreach (Resource r in Resources.All)
                    {
                        double lo = f.Get(h, p, r), hi = f.Get(h, _levels.Length - 1 - p, r);
                        _scores.Add(_scores.Index(p, (int)r, h), Math.Max(lo - y[r], y[r] - hi));
                    }
                }
            }
        }

        _inner.Forget(probe);
    }

    /// <summary>The adjusted values; lo/hi hold each cell's adjusted interval for ACI.</summary>
    private double[] Adjust(Forecast raw, double[] correction, out double[] lo, out double[] hi)
    {
        int levels = _levels.Length;
        double[] values = new double[Horizon * levels * Resources.Count];
        lo = new double[_scores.Cells];
        hi = new double[_scores.Cells];
        Span<double> column = levels <= 64 ? stackalloc double[levels] : new double[levels];
        for (int h = 0; h < Horizon; h++)
        {
            foreach (Resource r in Resources.All)
            {
                for (int q = 0; q < levels; q++)
                {
                    column[q] = raw.Get(h, q, r);
                }

                for (int p = 0; p < _scores.Pairs; p++)
                {
                    int cell = _scores.Index(p, (int)r, h);
                    double c = correction[cell];
                    column[p] -= c;
                    column[levels - 1 - p] += c;
                }

                Order(column, r);
                for (int q = 0; q < levels; q++)
                {
                    values[(((h * levels) + q) * Resources.Count) + (int)r] = column[q];
                }

                for (int p = 0; p < _scores.Pairs; p++)
                {
                    int cell = _scores.Index(p, (int)r, h);
                    lo[cell] = column[p];
                    hi[cell] = column[levels - 1 - p];
                }
            }
        }

        return values;
    }

    /// <summary>Clamps to the resource's range and restores the order a narrowing may have broken, outward from the middle.</summary>
    private static void Order(Span<double> column, Resource r)
    {
        int mid = column.Length / 2;
        for (int q = 0; q < column.Length; q++)
        {
            column[q] = r == Resource.Sm ? Math.Clamp(column[q], 0, 1) : Math.Max(0, column[q]);
        }

        for (int q = mid + 1; q < column.Length; q++)
        {
            column[q] = Math.Max(column[q], column[q - 1]);
        }

        for (int q = mid - 1; q >= 0; q--)
        {
            column[q] = Math.Min(column[q], column[q + 1]);
        }
    }

    /// <summary>Each cell's split-conformal correction and its online step (gamma x the scores' spread).</summary>
    private (double[] Correction, double[] Eta) OnlineStart()
    {
        double[] correction = new double[_scores.Cells];
        double[] eta = new double[_scores.Cells];
        for (int cell = 0; cell < _scores.Cells; cell++)
        {
            correction[cell] = _scores.Correction(cell, _nominalAlpha[cell]);
            eta[cell] = Gamma * _scores.Spread(cell);
        }

        return (correction, eta);
    }

    private double[] NominalAlpha()
    {
        double[] alpha = new double[_scores.Cells];
        for (int p = 0; p < _scores.Pairs; p++)
        {
            foreach (Resource r in Resources.All)
            {
                for (int h = 0; h < Horizon; h++)
                {
                    alpha[_scores.Index(p, (int)r, h)] = 1 - IntervalPairs.Coverage(_levels, p);
                }
            }
        }

        return alpha;
    }
}
