using Gpupredict.Core.Apps;

namespace Gpupredict.Core.Allocation;

/// <summary>
/// What one application is granted on one GPU: the virtual GPU the interposer enforces.
/// </summary>
/// <param name="App">The application.</param>
/// <param name="Gpu">The physical GPU index on the node.</param>
/// <param name="VramQuotaBytes">Allocations beyond this many bytes are refused.</param>
/// <param name="PremapTargetBytes">Device memory to keep mapped ahead of requests, ≤ the quota.</param>
/// <param name="SmShare">Share of the GPU's SMs, 0..1.</param>
/// <param name="FromStep">First 10 ms step the grant applies to.</param>
/// <param name="UntilStep">Step (exclusive) after which the planner must renew the grant.</param>
public readonly record struct GpuAllocation(AppId App, int Gpu, ulong VramQuotaBytes, ulong PremapTargetBytes, double SmShare, long FromStep, long UntilStep)
{
    /// <summary>Checks the invariants; returns null when valid, else what is wrong.</summary>
    public string? Validate()
    {
        if (Gpu < 0)
        {
            return $"gpu index {Gpu} is negative";
        }

        if (PremapTargetBytes > VramQuotaBytes)
        {
            return $"pre-map target {PremapTargetBytes} B exceeds the quota {VramQuotaBytes} B";
        }

        if (!(SmShare >= 0 && SmShare <= 1))
        {
            return $"SM share {SmShare} is outside [0, 1]";
        }

        return UntilStep < FromStep ? $"window [{FromStep}, {UntilStep}) ends before it starts" : null;
    }
}
