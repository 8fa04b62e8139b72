using Gpupredict.Core.Enforcement;
using Gpupredict.Core.Pipeline;
using Gpupredict.Core.Planning;

namespace Gpupredict.Simulation.Comparison;

/// <summary>
/// An observer of the tick that sums, per step and per GPU, what the applications occupied and
/// used (<see cref="Timeline"/>), so that node-level figures come from the same loop as everything
/// else. A granted application occupies its reservation, or what it was served beyond it; one
/// without a grant (pass-through, its first step) occupies what it uses; a suspended one nothing.
/// </summary>
public sealed class TimelineRecorder : ITickObserver
{
    private readonly int[] _active;

    /// <summary>Records <paramref name="steps"/> steps of a node of <paramref name="gpus"/>.</summary>
    public TimelineRecorder(IReadOnlyList<GpuCapacity> gpus, long steps)
    {
        ArgumentNullException.ThrowIfNull(gpus);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        _active = new int[steps];
        Timeline = new NodeTimeline(gpus, _active);
    }

    /// <summary>What was recorded so far.</summary>
    public NodeTimeline Timeline { get; }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The tick's step lies beyond the steps this recorder was made for.</exception>
    public void OnTick(TickRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        long step = record.Step;
        if (step >= _active.Length)
        {
            throw new InvalidOperationException($"step {step} is beyond the {_active.Length} steps this timeline records");
        }

        foreach (ref readonly AppObservation o in record.Frame.Observations)
        {
            _active[step]++;
            StepOutcome outcome = o.Outcome;
            double sm = o.Demand.SmFraction, vram = o.Demand.VramBytes;
            if (outcome.Granted)
            {
                Timeline.Add(step, outcome.Gpu, outcome.SmOccupied(sm), sm, outcome.VramOccupied(vram), vram);
            }
            else if (!outcome.Suspended)
            {
                Timeline.Add(step, outcome.Gpu, sm, sm, vram, vram);
            }
        }
    }
}
