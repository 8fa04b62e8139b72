using Gpupredict.Core.Events;
using Gpupredict.Telemetry.Traces;

namespace Gpupredict.Telemetry.Aggregation;

/// <summary>
/// Steps of <see cref="StepNs"/> from <see cref="OriginNs"/>: step <c>i</c> covers
/// [<see cref="OriginNs"/> + i·<see cref="StepNs"/>, <see cref="OriginNs"/> + (i+1)·<see cref="StepNs"/>).
/// </summary>
/// <param name="OriginNs">Start of step 0, ns.</param>
/// <param name="StepNs">One step, ns (&gt; 0).</param>
internal readonly record struct StepGrid(ulong OriginNs, long StepNs)
{
    /// <summary>The most steps a whole-trace series may hold (about 5.8 days of 10 ms steps).</summary>
    public const int MaxSteps = 50_000_000;

    /// <summary>Steps per second (100 for 10 ms steps).</summary>
    public double StepsPerSecond => 1_000_000_000.0 / StepNs;

    /// <summary>Whole steps from the origin before <see cref="ulong.MaxValue"/> (at most <see cref="long.MaxValue"/>): every step below it starts and ends within 64 bits.</summary>
    public long RepresentableSteps => (long)Math.Min((ulong.MaxValue - OriginNs) / (ulong)StepNs, long.MaxValue);

    /// <summary>The step holding <paramref name="ns"/>, which must not precede the origin nor lie past <see cref="RepresentableSteps"/>.</summary>
    public long StepOf(ulong ns) => (long)((ns - OriginNs) / (ulong)StepNs);

    /// <summary>Start of <paramref name="step"/>, ns (0 ≤ step ≤ <see cref="RepresentableSteps"/>).</summary>
    public ulong StartOf(long step) => OriginNs + ((ulong)step * (ulong)StepNs);

    /// <summary>
    /// The grid of <paramref name="stepNs"/> steps covering every event of <paramref name="processes"/>, with
    /// its origin at the first event time floored to a multiple of the step, and the number of steps up to and
    /// including the last one an event covers (an interval ending exactly on a boundary does not reach the next
    /// step); null when no process has events.
    /// </summary>
    /// <exception cref="TraceFormatException">The trace spans more than <see cref="MaxSteps"/> steps or its times do not fit a signed 64-bit origin.</exception>
    public static (StepGrid Grid, int Count)? Covering(string path, IEnumerable<TraceProcess> processes, long stepNs)
    {
        ulong first = ulong.MaxValue;
        ulong last = 0;
        foreach (TraceProcess process in processes)
        {
            foreach (ref readonly GpuEvent e in process.Events.AsSpan())
            {
                first = Math.Min(first, e.TimestampNs);
                last = Math.Max(last, e.EndNs > e.TimestampNs ? e.EndNs - 1 : e.TimestampNs);
            }
        }

        if (first == ulong.MaxValue)
        {
            return null;
        }

        ulong origin = first - (first % (ulong)stepNs);
        ulong steps = ((last - origin) / (ulong)stepNs) + 1;
        if (steps > MaxSteps || origin > long.MaxValue)
        {
            throw new TraceFormatException(path, $"events span {last - first} ns from {first} ns: {steps} steps of {stepNs} ns, more than the {MaxSteps} a series holds");
        }

        return (new StepGrid(origin, stepNs), (int)steps);
    }
}
