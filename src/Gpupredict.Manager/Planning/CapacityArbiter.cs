using Gpupredict.Core.Allocation;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Planning;

namespace Gpupredict.Manager.Planning;

/// <summary>
/// Turns per-application wants into grants that fit each GPU: keeps an application on the GPU it
/// already has, places a new one where it leaves the lowest dominant share, then serves each GPU's
/// applications in priority tiers (highest first): memory in full while it lasts, SM shares scaled
/// down proportionally within the tier that runs out. What does not fit comes back as a shortfall.
/// Held memory is never cut below what the application holds now.
/// </summary>
internal static class CapacityArbiter
{
    /// <summary>Asks <paramref name="wantOf"/> what each request would get on an empty node, then fits the wants to the node.</summary>
    public static AllocationPlan Arbitrate(NodeView view, IReadOnlyList<PlanRequest> requests, Func<PlanRequest, Want> wantOf, long untilStep)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(requests);
        if (view.Gpus.Count == 0)
        {
            throw new ArgumentException("the node view has no GPU", nameof(view));
        }

        Want[] wants = requests.Select(wantOf).ToArray();

        int[] gpuOf = Place(view, requests, wants);
        var allocations = new List<GpuAllocation>(requests.Count);
        var shortfalls = new List<Shortfall>();
        foreach (GpuCapacity gpu in view.Gpus)
        {
            ulong vramLeft = (ulong)gpu.Capacity.VramBytes;
            double smLeft = gpu.Capacity.SmFraction;
            foreach (int[] tier in ByPriority(requests, gpuOf, gpu.Index))
            {
                double smWanted = tier.Sum(i => wants[i].SmShare);
                double smScale = smWanted <= smLeft || smWanted <= 0 ? 1 : Math.Max(0, smLeft) / smWanted;
                foreach (int i in tier)
                {
                    Want want = wants[i];
                    ulong quota = Math.Max(want.VramFloorBytes, Math.Min(want.VramQuotaBytes, vramLeft));
                    double share = want.SmShare * smScale;
                    vramLeft -= Math.Min(vramLeft, quota);
                    allocations.Add(new GpuAllocation(requests[i].App, gpu.Index, quota, Math.Min(want.PremapTargetBytes, quota), share, view.Step, untilStep));
                    if (quota < want.VramQuotaBytes || share < want.SmShare)
                    {
                        shortfalls.Add(new Shortfall(requests[i].App, want.VramQuotaBytes, quota, want.SmShare, share, $"GPU {gpu.Index} is full for priority {requests[i].Priority.Class}/{requests[i].Priority.Weight}"));
                    }
                }

                smLeft -= smWanted * smScale;
            }
        }

        return new AllocationPlan(allocations, shortfalls);
    }

    /// <summary>
    /// Keeps each application on the GPU it has; puts a new one where its arrival leaves the lowest
    /// dominant share (the larger of claimed memory and claimed SM fraction).
    /// </summary>
    private static int[] Place(NodeView view, IReadOnlyList<PlanRequest> requests, Want[] wants)
    {
        var vram = new double[view.Gpus.Count];
        var sm = new double[view.Gpus.Count];
        var slot = new int[requests.Count];
        for (int i = 0; i < requests.Count; i++)
        {
            slot[i] = view.Current.TryGetValue(requests[i].App, out GpuAllocation current) ? IndexOf(view, current.Gpu) : -1;
            if (slot[i] >= 0)
            {
                vram[slot[i]] += wants[i].VramQuotaBytes;
                sm[slot[i]] += wants[i].SmShare;
            }
        }

        for (int i = 0; i < requests.Count; i++)
        {
            if (slot[i] >= 0)
            {
                continue;
            }

            int best = 0;
            double bestShare = double.MaxValue;
            for (int g = 0; g < view.Gpus.Count; g++)
            {
                ResourceVector cap = view.Gpus[g].Capacity;
                double share = Math.Max((vram[g] + wants[i].VramQuotaBytes) / cap.VramBytes, (sm[g] + wants[i].SmShare) / cap.SmFraction);
                if (share < bestShare)
                {
                    (best, bestShare) = (g, share);
                }
            }

            slot[i] = best;
            vram[best] += wants[i].VramQuotaBytes;
            sm[best] += wants[i].SmShare;
        }

        return slot.Select(g => view.Gpus[g].Index).ToArray();
    }

    private static int IndexOf(NodeView view, int gpuIndex)
    {
        for (int g = 0; g < view.Gpus.Count; g++)
        {
            if (view.Gpus[g].Index == gpuIndex)
            {
                return g;
            }
        }

        return -1;
    }

    /// <summary>The GPU's applications in tiers of equal priority, highest first; within a tier by identity, for a stable order.</summary>
    private static IEnumerable<int[]> ByPriority(IReadOnlyList<PlanRequest> requests, int[] gpuOf, int gpu) =>
        Enumerable.Range(0, requests.Count)
            .Where(i => gpuOf[i] == gpu)
            .GroupBy(i => requests[i].Priority)
            .OrderByDescending(g => g.Key)
            .Select(g => g.OrderBy(i => requests[i].App.Pid).ThenBy(i => requests[i].App.StartTime).ToArray());
}
