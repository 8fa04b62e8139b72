using Gpupredict.Core.Demand;

namespace Gpupredict.Telemetry.Aggregation;

/// <summary>Spreads copy and memset bytes over the steps of their GPU interval.</summary>
internal static class TransferSpread
{
    /// <summary>
    /// Adds <paramref name="bytes"/> to <paramref name="bytesPerStep"/> in proportion to how much of
    /// [<paramref name="start"/>, <paramref name="end"/>) falls in each step; an instant puts all in its step.
    /// </summary>
    public static void Add(StepGrid grid, double[] bytesPerStep, ulong start, ulong end, ulong bytes)
    {
        if (end <= start)
        {
            bytesPerStep[grid.StepOf(start)] += bytes;
            return;
        }

        double perNs = (double)bytes / (end - start);
        for (int step = grid.StepOf(start); step <= grid.StepOf(end - 1); step++)
        {
            ulong stepStart = grid.StartOf(step);
            ulong overlap = Math.Min(end, stepStart + (ulong)TimeBase.StepNs) - Math.Max(start, stepStart);
            bytesPerStep[step] += overlap * perNs;
        }
    }

    /// <summary>Turns bytes per step into bytes per second, in place.</summary>
    public static void ToRate(double[] bytesPerStep)
    {
        for (int i = 0; i < bytesPerStep.Length; i++)
        {
            bytesPerStep[i] *= TimeBase.StepsPerSecond;
        }
    }
}
