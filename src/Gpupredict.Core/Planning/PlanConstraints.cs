using Gpupredict.Core.Allocation;

namespace Gpupredict.Core.Planning;

/// <summary>
/// What policy promises and allows one application, as the planner needs it: a guaranteed floor and
/// a ceiling per resource, and whether the slow path may suspend or migrate it.
/// </summary>
/// <param name="FloorVramBytes">VRAM never granted below this (when the GPU has it).</param>
/// <param name="FloorSmShare">SM share never granted below this, 0..1.</param>
/// <param name="CeilingVramBytes">VRAM never granted above this.</param>
/// <param name="CeilingSmShare">SM share never granted above this, 0..1.</param>
/// <param name="MaySuspend">The application may be checkpointed to the host when idle.</param>
/// <param name="MayMigrate">The application may be moved to another GPU.</param>
public sealed record PlanConstraints(ulong FloorVramBytes, double FloorSmShare, ulong CeilingVramBytes, double CeilingSmShare, bool MaySuspend, bool MayMigrate)
{
    /// <summary>No floor, no ceiling, suspend and migration allowed: what an application no policy names gets.</summary>
    public static PlanConstraints None { get; } = new(0, 0, ulong.MaxValue, 1, MaySuspend: true, MayMigrate: true);

    /// <summary>Checks the invariants; returns null when valid, else what is wrong.</summary>
    public string? Validate()
    {
        if (!(FloorSmShare >= 0 && FloorSmShare <= CeilingSmShare && CeilingSmShare <= 1))
        {
            return $"SM floor {FloorSmShare} and ceiling {CeilingSmShare} must satisfy 0 ≤ floor ≤ ceiling ≤ 1";
        }

        return FloorVramBytes > CeilingVramBytes ? $"VRAM floor {FloorVramBytes} B exceeds the ceiling {CeilingVramBytes} B" : null;
    }

    /// <summary>
    /// <paramref name="bytes"/> clamped to [floor, ceiling] in whole chunks: the floor rounded up and
    /// the ceiling rounded down to <see cref="VramGranularity.ChunkBytes"/> (a ceiling below the rounded
    /// floor gives the floor), so that policy sizes in decimal units (8 GB) still give chunk-aligned grants.
    /// </summary>
    public ulong ClampVram(ulong bytes)
    {
        ulong floor = VramGranularity.RoundUp(FloorVramBytes);
        ulong ceiling = Math.Max(floor, VramGranularity.RoundDown(CeilingVramBytes));
        return Math.Min(Math.Max(bytes, floor), ceiling);
    }

    /// <summary><paramref name="share"/> clamped to [floor, ceiling].</summary>
    public double ClampSm(double share) => Math.Clamp(share, FloorSmShare, CeilingSmShare);
}
