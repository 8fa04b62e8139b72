using Gpupredict.Core.Planning;

namespace Gpupredict.Simulation.Comparison;

/// <summary>
/// Per step and per GPU, what the applications on it occupied (each one's reservation, or what it was
/// served beyond it from capacity lent by work-conserving caps, whichever is more) and used, summed:
/// SM in fractions of the GPU, VRAM in bytes. Written by <see cref="TimelineRecorder"/>. An application
/// without a grant (pass-through, its first step) counts as allocated what it uses; a suspended one
/// counts nothing on any GPU.
/// </summary>
public sealed class NodeTimeline
{
    private readonly float[] _smGranted;
    private readonly float[] _smUsed;
    private readonly float[] _vramGranted;
    private readonly float[] _vramUsed;
    private readonly int[] _active;

    /// <summary>Creates an empty timeline, one step per entry of <paramref name="active"/>:  the number of applications running in each step (taken, not copied).</summary>
    internal NodeTimeline(IReadOnlyList<GpuCapacity> gpus, int[] active)
    {
        Gpus = gpus;
        _active = active;
        long cells = (long)active.Length * gpus.Count;
        _smGranted = new float[cells];
        _smUsed = new float[cells];
        _vramGranted = new float[cells];
        _vramUsed = new float[cells];
    }

    /// <summary>The node's GPUs.</summary>
    public IReadOnlyList<GpuCapacity> Gpus { get; }

    /// <summary>Steps of 10 ms recorded.</summary>
    public long Steps => _active.Length;

    /// <summary>Applications running in <paramref name="step"/>.</summary>
    public int ActiveApps(long step) => _active[step];

    /// <summary>Σ SM occupied (reserved, or served beyond the reservation) on <paramref name="gpu"/> in <paramref name="step"/>, fractions of the GPU.</summary>
    public double SmGranted(long step, int gpu) => _smGranted[Cell(step, gpu)];

    /// <summary>Σ SM fractions used on <paramref name="gpu"/> in <paramref name="step"/>.</summary>
    public double SmUsed(long step, int gpu) => _smUsed[Cell(step, gpu)];

    /// <summary>Σ VRAM occupied (reserved, or served beyond the reservation) on <paramref name="gpu"/> in <paramref name="step"/>, bytes.</summary>
    public double VramGranted(long step, int gpu) => _vramGranted[Cell(step, gpu)];

    /// <summary>Σ VRAM held on <paramref name="gpu"/> in <paramref name="step"/>, bytes.</summary>
    public double VramUsed(long step, int gpu) => _vramUsed[Cell(step, gpu)];

    /// <summary>Σ over steps and GPUs of <see cref="SmGranted"/>: GPU-steps of SM allocated.</summary>
    public double SmGrantedTotal { get; private set; }

    /// <summary>Σ over steps and GPUs of <see cref="SmUsed"/>.</summary>
    public double SmUsedTotal { get; private set; }

    /// <summary>Σ over steps and GPUs of <see cref="VramGranted"/>, byte-steps.</summary>
    public double VramGrantedTotal { get; private set; }

    /// <summary>Σ over steps and GPUs of <see cref="VramUsed"/>, byte-steps.</summary>
    public double VramUsedTotal { get; private set; }

    /// <summary>Mean applications running at once over the replay's steps.</summary>
    public double MeanActiveApps => Steps == 0 ? 0 : _active.Sum(a => (double)a) / Steps;

    /// <summary>
    /// GPUs' worth the allocations reserve in <paramref name="step"/>: over the GPUs, the sum of the
    /// larger of (Σ VRAM occupied / GPU memory) and (Σ SM occupied / GPU SM capacity), at most 1 per GPU.
    /// </summary>
    public double ReservedGpus(long step)
    {
        double sum = 0;
        for (int g = 0; g < Gpus.Count; g++)
        {
            // A GPU cannot be reserved more than once: reservations beyond it are oversubscription,
            // whose cost shows in under-allocation, not here.
            sum += Math.Min(1, Math.Max(VramGranted(step, g) / Gpus[g].Capacity.VramBytes, SmGranted(step, g) / Gpus[g].Capacity.SmFraction));
        }

        return sum;
    }

    /// <summary>The most <see cref="ReservedGpus"/> of any step: the node capacity the policy needs at its worst.</summary>
    public double PeakReservedGpus()
    {
        double peak = 0;
        for (long s = 0; s < Steps; s++)
        {
            peak = Math.Max(peak, ReservedGpus(s));
        }

        return peak;
    }

    /// <summary>The GPU with the most SM used over the replay (ties: the lower index).</summary>
    public int BusiestGpu()
    {
        int best = 0;
        double bestSum = -1;
        for (int g = 0; g < Gpus.Count; g++)
        {
            double sum = 0;
            for (long s = 0; s < Steps; s++)
            {
                sum += SmUsed(s, g);
            }

            if (sum > bestSum)
            {
                (best, bestSum) = (g, sum);
            }
        }

        return best;
    }

    /// <summary>Adds one application's step.</summary>
    internal void Add(long step, int gpu, double smGranted, double smUsed, double vramGranted, double vramUsed)
    {
        long c = Cell(step, gpu);
        _smGranted[c] += (float)smGranted;
        _smUsed[c] += (float)smUsed;
        _vramGranted[c] += (float)vramGranted;
        _vramUsed[c] += (float)vramUsed;
        SmGrantedTotal += smGranted;
        SmUsedTotal += smUsed;
        VramGrantedTotal += vramGranted;
        VramUsedTotal += vramUsed;
    }

    private long Cell(long step, int gpu) => (step * Gpus.Count) + gpu;
}
