namespace Gpupredict.Manager.Planning;

/// <summary>What a planning policy would grant one application if the GPU had room.</summary>
/// <param name="VramQuotaBytes">Quota, whole chunks.</param>
/// <param name="PremapTargetBytes">Pre-map target, ≤ the quota.</param>
/// <param name="SmShare">SM share, 0..1.</param>
/// <param name="VramFloorBytes">Bytes that cannot be taken away (held now), ≤ the quota.</param>
internal readonly record struct Want(ulong VramQuotaBytes, ulong PremapTargetBytes, double SmShare, ulong VramFloorBytes);
