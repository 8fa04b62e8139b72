namespace Gpupredict.Manager.Planning;

/// <summary>What a planning policy would grant one application if the GPU had room.</summary>
/// <param name="VramQuotaBytes">Quota, whole chunks.</param>
/// <param name="PremapTargetBytes">Pre-map target, ≤ the quota.</param>
/// <param name="SmShare">SM share, 0..1.</param>
/// <param name="VramFloorBytes">Bytes that cannot be taken away (held now, or the policy's floor), ≤ the quota.</param>
/// <param name="VramLikelyBytes">VRAM the application will likely use (its oversubscription-quantile forecast); 0 = the quota.</param>
/// <param name="SmLikely">SM it will likely use; 0 = the share.</param>
/// <param name="SmFloor">SM share that cannot be scaled away (the policy's floor).</param>
internal readonly record struct Want(ulong VramQuotaBytes, ulong PremapTargetBytes, double SmShare, ulong VramFloorBytes, ulong VramLikelyBytes = 0, double SmLikely = 0, double SmFloor = 0)
{
    /// <summary>VRAM counted against a GPU when deciding whether oversubscription is safe.</summary>
    public ulong LikelyVram => VramLikelyBytes == 0 ? VramQuotaBytes : Math.Min(VramLikelyBytes, VramQuotaBytes);

    /// <summary>SM counted against a GPU when deciding whether oversubscription is safe.</summary>
    public double LikelySm => SmLikely == 0 ? SmShare : Math.Min(SmLikely, SmShare);
}
