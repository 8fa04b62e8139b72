namespace Gpupredict.Telemetry.Aggregation;

/// <summary>Spreads copy and memset bytes over the steps of their GPU interval.</summary>
internal static class TransferSpread
{
    /// <summary>
    /// Adds to column <paramref name="column"/> of <paramref name="ring"/> the part of <paramref name="bytes"/>
    /// that falls in [<paramref name="fromNs"/>, <paramref name="toNs"/>) (the open steps), in proportion to how
    /// much of [<paramref name="start"/>, <paramref name="end"/>) falls in each step; an instant
    /// (<paramref name="end"/> ≤ <paramref name="start"/>) puts all in its step.
    /// </summary>
    /// <returns>The bytes that fell before <paramref name="fromNs"/> and were not added.</returns>
    public static double Add(StepGrid grid, StepRing ring, int column, ulong start, ulong end, ulong bytes, ulong fromNs, ulong toNs)
    {
        if (end <= start)
        {
            if (start < fromNs)
            {
                return bytes;
            }

            if (start < toNs)
            {
                ring.Row(grid.StepOf(start))[column] += bytes;
            }

            return 0;
        }

        // The rate is the whole interval's, so the steps a close cut it into add up as if it had not been cut.
        double perNs = (double)bytes / (end - start);
        ulong from = Math.Max(start, fromNs);
        ulong to = Math.Min(end, toNs);
        if (from < to)
        {
            for (long step = grid.StepOf(from); step <= grid.StepOf(to - 1); step++)
            {
                ulong stepStart = grid.StartOf(step);
                ulong overlap = Math.Min(end, stepStart + (ulong)grid.StepNs) - Math.Max(start, stepStart);
                ring.Row(step)[column] += overlap * perNs;
            }
        }

        return start < fromNs ? (Math.Min(end, fromNs) - start) * perNs : 0;
    }
}
