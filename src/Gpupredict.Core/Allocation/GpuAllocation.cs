using Gpupredict.Core.Apps;

namespace Gpupredict.Core.Allocation;

/// <summary>
/// What one application is granted on one GPU: the virtual GPU the interposer enforces. The quota
/// and the share are limits (caps); the reservation is the part set aside for the application alone,
/// what placement counts and no other application is promised. Without work-conserving caps they are
/// the same; with them the limits also reach into what no reservation on the GPU claims, which the
/// application may use while nobody else does (like a Kubernetes request and limit).
/// </summary>
/// <param name="App">The application.</param>
/// <param name="Gpu">The physical GPU index on the node.</param>
/// <param name="VramQuotaBytes">Allocations beyond this many bytes are refused.</param>
/// <param name="PremapTargetBytes">Device memory to keep mapped ahead of requests, ≤ the quota.</param>
/// <param name="SmShare">Share of the GPU's SMs, 0..1.</param>
/// <param name="FromStep">First 10 ms step the grant applies to.</param>
/// <param name="UntilStep">Step (exclusive) after which the planner must renew the grant.</param>
/// <param name="ReservedVramBytes">VRAM reserved for the application, ≤ the quota; <see cref="SameAsLimit"/> (the default) = the quota.</param>
/// <param name="ReservedSmShare">SM share reserved for it, ≤ the share; negative (the default) = the share.</param>
/// <remarks>
/// The reservation has sentinels rather than nullable fields: a plan for a thousand applications is
/// a list of these, and 16 more bytes each would put it on the large-object heap every tick.
/// </remarks>
public readonly record struct GpuAllocation(AppId App, int Gpu, ulong VramQuotaBytes, ulong PremapTargetBytes, double SmShare, long FromStep, long UntilStep, ulong ReservedVramBytes = GpuAllocation.SameAsLimit, double ReservedSmShare = -1)
{
    /// <summary>The <see cref="ReservedVramBytes"/> that means "the quota".</summary>
    public const ulong SameAsLimit = ulong.MaxValue;

    /// <summary>VRAM set aside for the application alone: <see cref="ReservedVramBytes"/>, or the quota.</summary>
    public ulong VramReservation => ReservedVramBytes == SameAsLimit ? VramQuotaBytes : ReservedVramBytes;

    /// <summary>SM set aside for the application alone: <see cref="ReservedSmShare"/>, or the share.</summary>
    public double SmReservation => ReservedSmShare < 0 ? SmShare : ReservedSmShare;

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

        if (VramReservation > VramQuotaBytes)
        {
            return $"reserved VRAM {VramReservation} B exceeds the quota {VramQuotaBytes} B";
        }

        if (!(SmReservation >= 0 && SmReservation <= SmShare + 1e-12))
        {
            return $"reserved SM share {SmReservation} is outside [0, the share {SmShare}]";
        }

        return UntilStep < FromStep ? $"window [{FromStep}, {UntilStep}) ends before it starts" : null;
    }
}
