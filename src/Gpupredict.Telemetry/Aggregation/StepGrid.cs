using Gpupredict.Core.Demand;
using Gpupredict.Core.Events;
using Gpupredict.Telemetry.Traces;

namespace Gpupredict.Telemetry.Aggregation;

/// <summary>
/// The 10 ms steps shared by every series of one trace: step <c>i</c> covers
/// [<see cref="OriginNs"/> + i·10 ms, <see cref="OriginNs"/> + (i+1)·10 ms).
/// </summary>
/// <param name="OriginNs">Start of step 0: the trace's first event time, floored to a multiple of 10 ms.</param>
/// <param name="Count">Steps up to and including the last one an event covers (an interval ending exactly on a boundary does not reach the next step).</param>
internal readonly record struct StepGrid(ulong OriginNs, int Count)
{
    /// <summary>The most steps a series may hold (about 5.8 days of 10 ms steps).</summary>
    public const int MaxSteps = 50_000_000;

    /// <summary>The step holding <paramref name="ns"/> (which must not precede the origin).</summary>
    public int StepOf(ulong ns) => (int)((ns - OriginNs) / (ulong)TimeBase.StepNs);

    /// <summary>Start of <paramref name="step"/>, ns.</summary>
    public ulong StartOf(int step) => OriginNs + ((ulong)step * (ulong)TimeBase.StepNs);

    /// <summary>The grid covering every event of <paramref name="processes"/>; null when none has events.</summary>
    /// <exception cref="TraceFormatException">The trace spans more than <see cref="MaxSteps"/> steps or its times do not fit a signed 64-bit origin.</exception>
    public static StepGrid? Of(string path, IEnumerable<TraceProcess> processes)
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

        ulong origin = first - (first % (ulong)TimeBase.StepNs);
        ulong steps = ((last - origin) / (ulong)TimeBase.StepNs) + 1;
        if (steps > MaxSteps || origin > long.MaxValue)
        {
            throw new TraceFormatException(path, $"events span {last - first} ns from {first} ns: {steps} steps of 10 ms, more than the {MaxSteps} a series holds");
        }

        return new StepGrid(origin, (int)steps);
    }
}
