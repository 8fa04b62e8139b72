namespace Gpupredict.Manager.Planning;

/// <summary>What a planning policy would grant one application if the GPU had room.</summary>
/// <param name="VramQuotaBytes">Quota, whole chunks.</param>
/// <param name="PremapTargetBytes">Pre-map target, ≤ the quota.</param>
/// <param name="SmShare">SM share, 0..1.</param>
/// <param name="VramFloorBytes">Bytes that cannot be taken away (held now, or the policy's floor), ≤ the quota.</param>
/// <param name="VramLikelyBytes">VRAM the application will likely use (its oversubscription-quantile forecast); null = the quota.</param>
/// <param name="SmLikely">SM it will likely use; null = the share.</param>
/// <param name="SmFloor">SM share that cannot be scaled away (the policy's floor).</param>
/// <param name="Median">The median forecast over the window; with the likely values it gives each application's spread for <see cref="Sum"/>. Null = no spread (the likely values are certain).</param>
/// <param name="HeldBytes">Device memory the application holds now (mapped whatever is granted); null = <paramref name="VramFloorBytes"/>.</param>
/// <param name="CeilingVramBytes">The most VRAM policy lets it be granted (a bound for lent memory).</param>
/// <param name="CeilingSm">The largest SM share policy lets it have (a bound for lent SM).</param>
internal readonly record struct Want(
    ulong VramQuotaBytes,
    ulong PremapTargetBytes,
    double SmShare,
    ulong VramFloorBytes,
    ulong? VramLikelyBytes = null,
    double? SmLikely = null,
    double SmFloor = 0,
    Core.Demand.ResourceVector? Median = null,
    ulong? HeldBytes = null,
    ulong CeilingVramBytes = ulong.MaxValue,
    double CeilingSm = 1)
{
    /// <summary>Memory the application occupies physically now.</summary>
    public ulong Held => Math.Min(HeldBytes ?? VramFloorBytes, VramQuotaBytes);

    /// <summary>
    /// The likely total of several applications' demand, at the same quantile as each one's likely
    /// value, assuming they are independent: Σ median + √(Σ (likely − median)²). For a normal spread
    /// that is exact (the z-scores cancel); it is much less than Σ likely, because bursts of
    /// independent applications rarely coincide. Without medians it is Σ likely.
    /// </summary>
    public static (double Vram, double Sm) Sum(IEnumerable<Want> wants)
    {
        ArgumentNullException.ThrowIfNull(wants);
        var total = default(WantTotal);
        foreach (Want w in wants)
        {
            total.Add(w);
        }

        return total.Result;
    }

    /// <summary>VRAM counted against a GPU when deciding whether oversubscription is safe.</summary>
    public ulong LikelyVram => VramLikelyBytes is ulong v ? Math.Min(v, VramQuotaBytes) : VramQuotaBytes;

    /// <summary>SM counted against a GPU when deciding whether oversubscription is safe.</summary>
    public double LikelySm => SmLikely is double v ? Math.Min(v, SmShare) : SmShare;
}
