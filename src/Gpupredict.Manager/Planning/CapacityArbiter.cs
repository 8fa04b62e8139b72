using Gpupredict.Core.Allocation;
using Gpupredict.Core.Planning;

namespace Gpupredict.Manager.Planning;

/// <summary>
/// Turns per-application wants into grants that fit each GPU: keeps an application on the GPU it
/// already has, places a new one on the GPU with the most unclaimed memory, then serves each GPU's
/// applications in priority order (highest first). What does not fit comes back as a shortfall.
/// Held memory is never cut below what the application holds now.
/// </summary>
internal static class CapacityArbiter
{
    public static AllocationPlan Arbitrate(NodeView view, IReadOnlyList<PlanRequest> requests, IReadOnlyList<Want> wants, long untilStep)
    {
        if (view.Gpus.Count == 0)
        {
            throw new ArgumentException("the node view has no GPU", nameof(view));
        }

        int[] gpuOf = Place(view, requests, wants);
        var allocations = new List<GpuAllocation>(requests.Count);
        var shortfalls = new List<Shortfall>();
        foreach (GpuCapacity gpu in view.Gpus)
        {
            ulong vramLeft = (ulong)gpu.Capacity.VramBytes;
            double smLeft = gpu.Capacity.SmFraction;
            foreach (int i in ByPriority(requests, gpuOf, gpu.Index))
            {
                Want want = wants[i];
                ulong quota = Math.Max(want.VramFloorBytes, Math.Min(want.VramQuotaBytes, vramLeft));
                double share = Math.Min(want.SmShare, Math.Max(0, smLeft));
                vramLeft -= Math.Min(vramLeft, quota);
                smLeft -= share;
                allocations.Add(new GpuAllocation(requests[i].App, gpu.Index, quota, Math.Min(want.PremapTargetBytes, quota), share, view.Step, untilStep));
                if (quota < want.VramQuotaBytes || share < want.SmShare)
                {
                    shortfalls.Add(new Shortfall(requests[i].App, want.VramQuotaBytes, quota, want.SmShare, share, $"GPU {gpu.Index} is full for priority {requests[i].Priority.Class}/{requests[i].Priority.Weight}"));
                }
            }
        }

        return new AllocationPlan(allocations, shortfalls);
    }

    private static int[] Place(NodeView view, IReadOnlyList<PlanRequest> requests, IReadOnlyList<Want> wants)
    {
        var claimed = new double[view.Gpus.Count];
        var gpuOf = new int[requests.Count];
        for (int i = 0; i < requests.Count; i++)
        {
            gpuOf[i] = view.Current.TryGetValue(requests[i].App, out GpuAllocation current) ? IndexOf(view, current.Gpu) : -1;
            if (gpuOf[i] >= 0)
            {
                claimed[gpuOf[i]] += wants[i].VramQuotaBytes;
            }
        }

        for (int i = 0; i < requests.Count; i++)
        {
            if (gpuOf[i] >= 0)
            {
                continue;
            }

            int best = 0;
            for (int g = 1; g < view.Gpus.Count; g++)
            {
                if (view.Gpus[g].Capacity.VramBytes - claimed[g] > view.Gpus[best].Capacity.VramBytes - claimed[best])
                {
                    best = g;
                }
            }

            gpuOf[i] = best;
            claimed[best] += wants[i].VramQuotaBytes;
        }

        for (int i = 0; i < gpuOf.Length; i++)
        {
            gpuOf[i] = view.Gpus[gpuOf[i]].Index;
        }

        return gpuOf;
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

    private static IEnumerable<int> ByPriority(IReadOnlyList<PlanRequest> requests, int[] gpuOf, int gpu) =>
        Enumerable.Range(0, requests.Count)
            .Where(i => gpuOf[i] == gpu)
            .OrderByDescending(i => requests[i].Priority)
            .ThenBy(i => requests[i].App.Pid)
            .ThenBy(i => requests[i].App.StartTime);
}
