using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Forecasting.Neural;

namespace Gpupredict.Forecasting.Tests.Neural;

/// <summary>
/// The finite-difference gradient check every neural model's gradient test runs: each analytic
/// derivative in a range against a central difference of ±1e-3 (or of ±2.5e-4 where a pinball kink
/// within ±1e-3 spoils the wider one), agreeing within 2e-4 plus 3% of the larger magnitude.
/// </summary>
internal static class GradientCheck
{
    /// <summary>A window's training loss at <paramref name="parameters"/>, its gradient added into <paramref name="gradient"/>.</summary>
    public delegate double Loss(float[] parameters, float[] gradient);

    /// <summary>Uniform weights in ±0.8, biases, gains and shifts too (training starts them at 0 or 1), so every gradient is exercised off its start.</summary>
    public static float[] RandomParameters(Random rng, int count)
    {
        float[] p = new float[count];
        for (int i = 0; i < p.Length; i++)
        {
            p[i] = ((2 * rng.NextSingle()) - 1) * 0.8f;
        }

        return p;
    }

    /// <summary>Uniform values in ±2.</summary>
    public static float[] RandomValues(Random rng, int length)
    {
        float[] values = new float[length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)((rng.NextDouble() * 4) - 2);
        }

        return values;
    }

    /// <summary>A scaled series of <paramref name="steps"/> random steps (SM uniform in 0..1, bytes uniform up to 1e9), walked from its first step.</summary>
    public static ScaledSeries RandomSeries(Random rng, int steps)
    {
        double[] sm = new double[steps], bandwidth = new double[steps], vram = new double[steps];
        for (int t = 0; t < steps; t++)
        {
            sm[t] = rng.NextDouble();
            bandwidth[t] = rng.NextDouble() * 1e9;
            vram[t] = rng.NextDouble() * 1e9;
        }

        return ScaledSeries.Build(new DemandSeries(new AppId(1, 1), "random", 0, sm, bandwidth, vram, ObservedSignals.SmFromGpuIntervals), 0.995f);
    }

    /// <summary>Asserts that the analytic gradient of <paramref name="loss"/> matches finite differences on parameters [from, to).</summary>
    public static void AssertMatches(Loss loss, float[] parameters, int from, int to, string label)
    {
        Assert.True(to > from, $"{label}: the range is empty");
        float[] grad = new float[parameters.Length];
        loss(parameters, grad);
        for (int i = from; i < to; i++)
        {
            double numeric = Numeric(loss, parameters, i, 1e-3f);
            if (!Close(grad[i], numeric))
            {
                // A pinball kink within ±1e-3 spoils the wider difference; a narrower one is clear of it.
                numeric = Numeric(loss, parameters, i, 2.5e-4f);
            }

            Assert.True(Close(grad[i], numeric), $"{label} parameter [{i}]: analytic {grad[i]:G6}, numeric {numeric:G6}");
        }
    }

    private static double Numeric(Loss loss, float[] p, int i, float eps)
    {
        float[] scratch = new float[p.Length];
        float saved = p[i];
        p[i] = saved + eps;
        double up = loss(p, scratch);
        p[i] = saved - eps;
        double down = loss(p, scratch);
        p[i] = saved;
        return (up - down) / ((double)(saved + eps) - (saved - eps));
    }

    private static bool Close(double analytic, double numeric) =>
        Math.Abs(analytic - numeric) <= 2e-4 + (0.03 * Math.Max(Math.Abs(analytic), Math.Abs(numeric)));
}
