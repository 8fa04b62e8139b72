namespace Gpupredict.Core.Enforcement;

/// <summary>What happened to one application in one simulated 10 ms step.</summary>
/// <param name="Granted">True when the application had a grant in force (false before its first plan: pass-through).</param>
/// <param name="VramQuotaBytes">The quota in force (0 without a grant).</param>
/// <param name="MappedBytes">Device memory mapped for the application at the end of the step (in use plus pool).</param>
/// <param name="SmShare">The SM share in force, 0..1 (1 without a grant).</param>
/// <param name="VramOverQuota">Demand exceeded the quota: the interposer would have refused an allocation.</param>
/// <param name="SmOverShare">SM demand exceeded the share: the application would have been throttled.</param>
/// <param name="GrowthBytes">Bytes the application newly allocated in the step (net growth of held VRAM).</param>
/// <param name="PoolBytes">Of those, bytes served from pre-mapped chunks.</param>
/// <param name="FreshBytes">Of those, bytes that had to be mapped fresh.</param>
/// <param name="WaitNs">Estimated time the application waited for its allocations in the step (from the simulated node's cost model).</param>
/// <param name="GpuOutOfMemory">The physical GPU could not back the growth: a real out-of-memory.</param>
/// <param name="Suspended">The application was suspended during the step: work it had then (SM or growth) was stalled.</param>
/// <param name="Gpu">The GPU the application ran on (or was parked on, when suspended) during the step.</param>
/// <param name="VramReservedBytes">VRAM reserved for it by the grant in force (0 without a grant); ≤ the quota.</param>
/// <param name="SmReserved">SM share reserved for it by the grant in force (0 without a grant); ≤ the share.</param>
public readonly record struct StepOutcome(
    bool Granted,
    ulong VramQuotaBytes,
    ulong MappedBytes,
    double SmShare,
    bool VramOverQuota,
    bool SmOverShare,
    ulong GrowthBytes,
    ulong PoolBytes,
    ulong FreshBytes,
    long WaitNs,
    bool GpuOutOfMemory,
    bool Suspended = false,
    int Gpu = 0,
    ulong VramReservedBytes = 0,
    double SmReserved = 0)
{
    /// <summary>SM the application occupied: its reservation, or what it was served beyond it (at most its share) from lent capacity.</summary>
    public double SmOccupied(double smDemand) => Math.Max(SmReserved, Math.Min(smDemand, SmShare));

    /// <summary>VRAM the application occupied: its reservation, or what it held beyond it (at most its quota) from lent memory.</summary>
    public double VramOccupied(double vramDemand) => Math.Max(VramReservedBytes, Math.Min(vramDemand, VramQuotaBytes));
}
