using Gpupredict.Core.Demand;
using Gpupredict.Core.Enforcement;

namespace Gpupredict.Simulation.Replay;

/// <summary>Sums one application's step outcomes into an <see cref="AppReport"/>.</summary>
internal sealed class AppAccumulator(string name, ObservedSignals observed)
{
    private long _steps;
    private long _passThrough;
    private double _smUsed;
    private double _smUnused;
    private double _smGranted;
    private double _smReserved;
    private double _vramReserved;
    private double _smOccupied;
    private double _vramOccupied;
    private double _vramUsed;
    private double _vramUnused;
    private double _vramQuota;
    private double _vramMapped;
    private long _overQuota;
    private long _overShare;
    private long _under;
    private long _gpuOom;
    private long _smContended;
    private long _pausedStalls;
    private long _allocSteps;
    private long _hitSteps;
    private double _poolBytes;
    private double _freshBytes;
    private long _waitNs;

    public long GrantChanges { get; set; }

    public long Shortfalls { get; set; }

    public long Migrations { get; set; }

    public long Suspends { get; set; }

    public long Restores { get; set; }

    public long PauseNs { get; set; }

    /// <summary>Steps before this one are covered by a migration's or restore's pause.</summary>
    public long PausedUntilStep { get; set; }

    private long _stalled;
    private long _suspendedSteps;

    /// <summary>
    /// Adds one step; <paramref name="smContended"/>: the GPU's SM was oversubscribed while the
    /// application had work; <paramref name="pausedWithWork"/>: a migration or restore had it stopped while it had work.
    /// </summary>
    public void Add(ResourceVector demand, StepOutcome o, bool smContended = false, bool pausedWithWork = false)
    {
        _steps++;
        _smUsed += demand.SmFraction;
        _vramUsed += demand.VramBytes;
        _vramMapped += o.MappedBytes;
        if (o.Granted)
        {
            // Slack is what the reservation sets aside and the application leaves idle, out of what it
            // occupies: its reservation, or what it is served beyond it from lent capacity. Capacity
            // lent but unused is anyone's, so it is not the application's slack.
            _smUnused += Math.Max(0, o.SmReserved - demand.SmFraction);
            _smGranted += o.SmShare;
            _smReserved += o.SmReserved;
            _smOccupied += o.SmOccupied(demand.SmFraction);
            _vramUnused += Math.Max(0, o.VramReservedBytes - demand.VramBytes);
            _vramQuota += o.VramQuotaBytes;
            _vramReserved += o.VramReservedBytes;
            _vramOccupied += o.VramOccupied(demand.VramBytes);
        }
        else if (o.Suspended)
        {
            _suspendedSteps++;
        }
        else
        {
            _passThrough++;
        }

        _overQuota += o.VramOverQuota ? 1 : 0;
        _overShare += o.SmOverShare ? 1 : 0;
        _under += o.VramOverQuota || o.SmOverShare || o.GpuOutOfMemory || smContended || pausedWithWork ? 1 : 0;
        _smContended += smContended ? 1 : 0;
        _pausedStalls += pausedWithWork ? 1 : 0;
        _stalled += o.Suspended && (o.VramOverQuota || o.SmOverShare) ? 1 : 0;
        _gpuOom += o.GpuOutOfMemory ? 1 : 0;
        if (o.GrowthBytes > 0)
        {
            _allocSteps++;
            _hitSteps += o.FreshBytes == 0 ? 1 : 0;
        }

        _poolBytes += o.PoolBytes;
        _freshBytes += o.FreshBytes;
        _waitNs += o.WaitNs;
    }

    /// <summary>Folds another accumulator into this one (for the node total).</summary>
    public void AddAll(AppAccumulator other)
    {
        _steps += other._steps;
        _passThrough += other._passThrough;
        _smUsed += other._smUsed;
        _smUnused += other._smUnused;
        _smGranted += other._smGranted;
        _smReserved += other._smReserved;
        _vramReserved += other._vramReserved;
        _smOccupied += other._smOccupied;
        _vramOccupied += other._vramOccupied;
        _vramUsed += other._vramUsed;
        _vramUnused += other._vramUnused;
        _vramQuota += other._vramQuota;
        _vramMapped += other._vramMapped;
        _overQuota += other._overQuota;
        _overShare += other._overShare;
        _under += other._under;
        _gpuOom += other._gpuOom;
        _smContended += other._smContended;
        _pausedStalls += other._pausedStalls;
        _allocSteps += other._allocSteps;
        _hitSteps += other._hitSteps;
        _poolBytes += other._poolBytes;
        _freshBytes += other._freshBytes;
        _waitNs += other._waitNs;
        GrantChanges += other.GrantChanges;
        Shortfalls += other.Shortfalls;
        Migrations += other.Migrations;
        Suspends += other.Suspends;
        Restores += other.Restores;
        PauseNs += other.PauseNs;
        _stalled += other._stalled;
        _suspendedSteps += other._suspendedSteps;
    }

    /// <summary>The report; means are per step of this application, or over <paramref name="meanSteps"/> steps when given (the node total: sums across applications averaged over the replay).</summary>
    public AppReport ToReport(long? meanSteps = null)
    {
        long steps = meanSteps ?? _steps;
        long granted = meanSteps ?? _steps - _passThrough - _suspendedSteps;
        return new AppReport
        {
            Name = name,
            Steps = _steps,
            PassThroughSteps = _passThrough,
            Observed = observed,
            SmUsedMean = Mean(_smUsed, steps),
            SmGrantedMean = Mean(_smGranted, granted),
            SmReservedMean = Mean(_smReserved, granted),
            SmSlack = Slack(_smUnused, _smOccupied),
            VramUsedMeanBytes = Mean(_vramUsed, steps),
            VramQuotaMeanBytes = Mean(_vramQuota, granted),
            VramMappedMeanBytes = Mean(_vramMapped, steps),
            VramReservedMeanBytes = Mean(_vramReserved, granted),
            VramSlack = Slack(_vramUnused, _vramOccupied),
            VramOverQuotaSteps = _overQuota,
            SmOverShareSteps = _overShare,
            UnderAllocatedSteps = _under,
            GpuOomSteps = _gpuOom,
            SmContendedSteps = _smContended,
            PausedStallSteps = _pausedStalls,
            AllocationSteps = _allocSteps,
            PremappedHitSteps = _hitSteps,
            PoolBytes = _poolBytes,
            FreshBytes = _freshBytes,
            WaitNs = _waitNs,
            GrantChanges = GrantChanges,
            Shortfalls = Shortfalls,
            Migrations = Migrations,
            Suspends = Suspends,
            Restores = Restores,
            PauseNs = PauseNs,
            SuspendedStallSteps = _stalled,
        };
    }

    private static double Mean(double sum, long n) => n == 0 ? 0 : sum / n;

    /// <summary>Reserved but unused / occupied (reserved, or served beyond it); 0 when nothing was allocated. Steps where demand exceeded the grant add no slack (they count as under-allocation).</summary>
    private static double Slack(double unused, double allocated) => allocated <= 0 ? 0 : unused / allocated;
}
