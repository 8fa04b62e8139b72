using System.Security.Cryptography;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting.Conformal;
using Gpupredict.Forecasting.Gbm;
using Gpupredict.Forecasting.Neural;
using Gpupredict.Forecasting.Tests.Gbm;

namespace Gpupredict.Forecasting.Tests.Persistence;

/// <summary>
/// One saved file of every policy that can be saved, each fitted once with small settings (the
/// trained ones on two short periodic series), for the tests that damage saved files.
/// </summary>
internal static class SavedForecasters
{
    public const int Horizon = 5;

    public static readonly double[] Levels = [0.1, 0.5, 0.9];

    private static readonly LstmOptions Recurrent = new(Hidden: 8, Window: 24, TrainingSteps: 20);
    private static readonly TransformerOptions Attention = new(Model: 8, Window: 24, FeedForward: 16, TrainingSteps: 20);
    private static readonly GbmOptions Boosted = new() { Rounds = 10, MaxRows = 600 };

    private static readonly Lazy<(string Name, byte[] File)[]> All = new(() =>
        [.. Names().Select(n => (n, Save(Fitted(n))))]);

    /// <summary>Every saveable registered name, the listed conformal ones among them, and conformal-gbm.</summary>
    public static IEnumerable<string> Names() =>
        Forecasters.Names.Where(n => Forecasters.Catalog.IsLoadable(n, out _)).Append(ConformalQuantileForecaster.Prefix + GbmQuantileForecaster.PolicyName).Distinct();

    /// <summary>The saved files, by policy name, in <see cref="Names"/>' order.</summary>
    public static (string Name, byte[] File)[] Files => All.Value;

    /// <summary>The saved file of <paramref name="name"/> (a fresh copy to damage).</summary>
    public static byte[] File(string name) => [.. Array.Find(Files, f => f.Name == name).File];

    /// <summary>A fresh forecaster of <paramref name="name"/> with small settings, fitted.</summary>
    public static IForecaster Fitted(string name)
    {
        IForecaster f = Create(name);
        f.Fit([GbmTestSeries.PeriodicBursts(100, 400, 1), GbmTestSeries.PeriodicBursts(101, 400, 2)], 1);
        return f;
    }

    /// <summary>What <see cref="IForecaster.Save"/> writes.</summary>
    public static byte[] Save(IForecaster forecaster)
    {
        using var buffer = new MemoryStream();
        forecaster.Save(buffer);
        return buffer.ToArray();
    }

    /// <summary><paramref name="file"/> with its SHA-256 trailer recomputed, as a careful forger would.</summary>
    public static byte[] Rechecksummed(byte[] file)
    {
        byte[] copy = [.. file];
        SHA256.HashData(copy.AsSpan(0, copy.Length - 32), copy.AsSpan(copy.Length - 32));
        return copy;
    }

    /// <summary>Streams <paramref name="series"/> through <paramref name="f"/> and returns its last forecast's values.</summary>
    public static double[] Forecast(IForecaster f, DemandSeries series)
    {
        for (int t = 0; t < series.Count; t++)
        {
            f.Observe(series.App, t, series[t]);
        }

        Forecast forecast = f.Predict(series.App);
        var values = new List<double>();
        for (int h = 0; h < forecast.Horizon; h++)
        {
            for (int q = 0; q < forecast.Levels.Length; q++)
            {
                foreach (Resource r in Resources.All)
                {
                    values.Add(forecast.Get(h, q, r));
                }
            }
        }

        return [.. values];
    }

    private static IForecaster Create(string name) => name switch
    {
        LstmQuantileForecaster.PolicyName => new LstmQuantileForecaster(Horizon, Levels, Recurrent),
        GruQuantileForecaster.PolicyName => new GruQuantileForecaster(Horizon, Levels, Recurrent),
        RnnQuantileForecaster.PolicyName => new RnnQuantileForecaster(Horizon, Levels, Recurrent),
        TransformerQuantileForecaster.PolicyName => new TransformerQuantileForecaster(Horizon, Levels, Attention),
        GbmQuantileForecaster.PolicyName => new GbmQuantileForecaster(Horizon, Levels, Boosted),
        GbmQuantileForecaster.EventsPolicyName => new GbmQuantileForecaster(Horizon, Levels, Boosted with { UseActivity = true }),
        _ when name.StartsWith(ConformalQuantileForecaster.Prefix, StringComparison.Ordinal) => new ConformalQuantileForecaster(Create(name[ConformalQuantileForecaster.Prefix.Length..])),
        _ => Forecasters.Create(name, Horizon, Levels),
    };
}
