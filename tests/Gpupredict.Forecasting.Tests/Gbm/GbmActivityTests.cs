using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting.Gbm;

namespace Gpupredict.Forecasting.Tests.Gbm;

/// <summary>The GBM learns from event-derived features when its series carry activity.</summary>
public sealed class GbmActivityTests
{
    private static readonly double[] Levels = [0.1, 0.5, 0.9];
    private static readonly GbmOptions Small = new() { Rounds = 40, MaxRows = 2000, UseActivity = true };

    /// <summary>
    /// SM bursts that start at random times, each announced one step ahead by a burst of kernel
    /// launches (what a real application does: launches are queued before the GPU runs them). The
    /// demand history alone cannot tell when the next burst starts; the launch count can.
    /// </summary>
    private static DemandSeries Announced(int pid, int steps, int seed)
    {
        var rng = new Random(seed);
        var sm = new double[steps];
        var activity = new double[steps * ActivitySeries.Channels];
        int t = 5;
        while (t + 4 < steps)
        {
            activity[((t - 1) * ActivitySeries.Channels) + (int)ActivityChannel.Launches] = 200;
            for (int b = 0; b < 3; b++)
            {
                sm[t + b] = 0.9;
            }

            t += 6 + rng.Next(0, 25);
        }

        return new DemandSeries(new AppId(pid, 1), $"announced{pid}", 0, sm, new double[steps], new double[steps], ObservedSignals.SmFromGpuIntervals, new ActivitySeries(activity));
    }

    /// <summary>Mean pinball of SM at horizon 1 over every origin; activity fed only when <paramref name="withActivity"/>.</summary>
    private static double NextStepPinball(GbmQuantileForecaster f, DemandSeries s, bool withActivity)
    {
        double loss = 0;
        int n = 0;
        for (int t = 0; t + 1 < s.Count; t++)
        {
            if (withActivity)
            {
                f.ObserveStep(s.App, t, s, t);
            }
            else
            {
                f.Observe(s.App, t, s[t]);
            }

            if (t < 60)
            {
                continue;
            }

            Forecast forecast = f.Predict(s.App);
            for (int q = 0; q < Levels.Length; q++)
            {
                double error = s[t + 1].SmFraction - forecast.Get(0, q, Resource.Sm);
                loss += Math.Max(Levels[q] * error, (Levels[q] - 1) * error);
                n++;
            }
        }

        return loss / n;
    }

    [Fact]
    public void Predict_BurstsAnnouncedByLaunches_ActivityHalvesTheLoss()
    {
        var f = new GbmQuantileForecaster(3, Levels, Small);
        f.Fit([Announced(1, 1500, 1), Announced(2, 1500, 2)], seed: 7);
        DemandSeries heldOut = Announced(3, 600, 3);

        double with = NextStepPinball(f, heldOut, withActivity: true);
        f.Forget(heldOut.App);
        double without = NextStepPinball(f, heldOut, withActivity: false);

        Assert.True(with < 0.5 * without, $"pinball with activity {with:F4}, without {without:F4}");
    }

    [Fact]
    public void Predict_PlainGbm_IgnoresActivity()
    {
        var f = new GbmQuantileForecaster(3, Levels, Small with { UseActivity = false });
        f.Fit([Announced(1, 1500, 1)], seed: 7);
        DemandSeries heldOut = Announced(3, 300, 3);
        double with = NextStepPinball(f, heldOut, withActivity: true);
        f.Forget(heldOut.App);
        Assert.Equal(with, NextStepPinball(f, heldOut, withActivity: false));
    }

    [Fact]
    public void Observe_WrongActivityLength_Throws()
    {
        var f = new GbmQuantileForecaster(3, Levels, Small);
        Assert.Throws<ArgumentException>(() => f.Observe(new AppId(1, 1), 0, ResourceVector.Zero, new double[3]));
    }

    [Fact]
    public void Features_WithoutActivity_AreZero()
    {
        var history = new GbmHistory();
        history.Push(0, new ResourceVector(0.5, 1e6, 1e9));
        double[] features = new double[GbmFeatures.Count];
        history.WriteFeatures(features);
        Assert.All(features[^GbmFeatures.ActivityCount..], v => Assert.Equal(0, v));
    }

    [Fact]
    public void Features_MeanTransferSize_IsBytesPerTransferOverTheWindow()
    {
        var history = new GbmHistory();
        double[] activity = new double[ActivitySeries.Channels];
        activity[(int)ActivityChannel.HostToDeviceBytes] = 3000;
        activity[(int)ActivityChannel.MemsetBytes] = 1000;
        activity[(int)ActivityChannel.Transfers] = 4;
        history.Push(0, ResourceVector.Zero, activity);
        history.Push(1, ResourceVector.Zero);
        double[] features = new double[GbmFeatures.Count];
        history.WriteFeatures(features);

        // 4000 B over 4 transfers in the last two steps; the newest step had none.
        Assert.Equal(Math.Log(1 + 1000), features[^1], 1e-12);
        int launchesNewest = GbmFeatures.Count - GbmFeatures.ActivityCount + (2 * (int)ActivityChannel.HostToDeviceBytes);
        Assert.Equal(0, features[launchesNewest]);
        Assert.Equal(Math.Log(1 + 1500), features[launchesNewest + 1], 1e-12);
    }
}
