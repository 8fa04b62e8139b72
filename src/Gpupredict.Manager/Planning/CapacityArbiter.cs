using System.Buffers;
using Gpupredict.Core.Allocation;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Planning;

namespace Gpupredict.Manager.Planning;

/// <summary>
/// Turns per-application wants into grants that fit each GPU: keeps an application on the GPU it
/// already has (unless <see cref="MigrationPlanner"/> moves it off a hot GPU), places a new one where
/// it leaves the lowest dominant share, then serves each GPU's applications in priority tiers
/// (highest first): memory in full while it lasts, SM shares scaled down proportionally within the
/// tier that runs out, floors first. What a GPU has is its capacity less the reserve; quotas and
/// shares may add up to <see cref="ArbiterLimits.MaxOversubscription"/> times that while the
/// applications' likely demand fits, but pre-mapped memory is physical and never oversubscribed.
/// What does not fit comes back as a shortfall. Held memory is never cut below what the application
/// holds now.
/// </summary>
internal static class CapacityArbiter
{
    /// <summary>Asks <paramref name="wantOf"/> what each request would get on an empty node, then fits the wants to the node.</summary>
    public static AllocationPlan Arbitrate(NodeView view, IReadOnlyList<PlanRequest> requests, Func<PlanRequest, Want> wantOf, long untilStep, ArbiterLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(requests);
        if (view.Gpus.Count == 0)
        {
            throw new ArgumentException("the node view has no GPU", nameof(view));
        }

        limits ??= ArbiterLimits.Strict;

        // A thousand wants are over the large-object threshold: rent them, so that planning every
        // 10 ms does not churn the large-object heap (and its generation-2 collections).
        Want[] wants = ArrayPool<Want>.Shared.Rent(Math.Max(1, requests.Count));
        try
        {
            for (int i = 0; i < requests.Count; i++)
            {
                wants[i] = wantOf(requests[i]);
            }

            int[] slot = limits.MaxOversubscription > 1 ? Pack(view, requests, wants, limits) : Place(view, requests, wants);
            IReadOnlyList<SlowAction> moves = limits.Migration is { MigrationEnabled: true } options
                ? MigrationPlanner.Relieve(view, requests, wants, slot, limits.Reserve, options)
                : [];

            var allocations = new List<GpuAllocation>(requests.Count);
            var shortfalls = new List<Shortfall>();
            for (int g = 0; g < view.Gpus.Count; g++)
            {
                Fit(view, requests, wants, slot, g, limits, untilStep, allocations, shortfalls);
            }

            return new AllocationPlan(allocations, shortfalls, moves);
        }
        finally
        {
            ArrayPool<Want>.Shared.Return(wants);
        }
    }

    /// <summary>What GPU <paramref name="gpu"/> offers once the reserve is held back.</summary>
    public static ResourceVector Usable(GpuCapacity gpu, ResourceVector reserve) => new(
        Math.Max(0, gpu.Capacity.SmFraction - reserve.SmFraction),
        Math.Max(0, gpu.Capacity.BandwidthBytesPerSecond - reserve.BandwidthBytesPerSecond),
        Math.Max(0, gpu.Capacity.VramBytes - reserve.VramBytes));

    /// <summary>
    /// Grants GPU <paramref name="g"/>'s applications, highest tier first. Before a tier is served, the
    /// floors of the tiers below it (SM floors, and VRAM floors and held bytes) are set aside, so a
    /// higher tier cannot take what a lower one is promised; and every application's held bytes count
    /// as mapped from the start, so a pre-map can never claim memory another application holds.
    /// </summary>
    private static void Fit(NodeView view, IReadOnlyList<PlanRequest> requests, Want[] wants, int[] slot, int g, ArbiterLimits limits, long untilStep, List<GpuAllocation> allocations, List<Shortfall> shortfalls)
    {
        GpuCapacity gpu = view.Gpus[g];
        ResourceVector usable = Usable(gpu, limits.Reserve);
        int[] here = Enumerable.Range(0, requests.Count).Where(i => slot[i] == g).ToArray();

        // Oversubscribe only where the sum of what the applications will likely use fits.
        (double likelyVram, double likelySm) = Want.Sum(here.Select(i => wants[i]));
        double vramLeft = usable.VramBytes * (likelyVram <= usable.VramBytes ? limits.MaxOversubscription : 1);
        double smLeft = usable.SmFraction * (likelySm <= usable.SmFraction ? limits.MaxOversubscription : 1);

        // Physical memory: everything held is mapped already; pre-maps may only add to it.
        double physicalLeft = usable.VramBytes - here.Sum(i => (double)wants[i].Held);
        int[][] tiers = [.. ByPriority(requests, here)];
        double smFloorsBelow = here.Sum(i => Math.Min(wants[i].SmFloor, wants[i].SmShare));
        double vramFloorsBelow = here.Sum(i => (double)wants[i].VramFloorBytes);
        int first = allocations.Count;
        foreach (int[] tier in tiers)
        {
            double smWanted = tier.Sum(i => wants[i].SmShare);
            double floors = tier.Sum(i => Math.Min(wants[i].SmFloor, wants[i].SmShare));
            smFloorsBelow -= floors;
            vramFloorsBelow -= tier.Sum(i => (double)wants[i].VramFloorBytes);
            double smForTier = smLeft - smFloorsBelow;
            double smScale = smWanted <= smForTier || smWanted <= floors ? 1 : Math.Max(0, smForTier - floors) / (smWanted - floors);
            double granted = 0;
            foreach (int i in tier)
            {
                Want want = wants[i];
                double room = Math.Max(0, vramLeft - vramFloorsBelow);
                ulong quota = Math.Max(want.VramFloorBytes, VramGranularity.RoundDown(Math.Min(want.VramQuotaBytes, room)));
                ulong held = want.Held;
                ulong premap = VramGranularity.RoundDown(Math.Min(Math.Min(want.PremapTargetBytes, quota), held + Math.Max(0, physicalLeft)));
                double floor = Math.Min(want.SmFloor, want.SmShare);
                double share = smScale >= 1 ? want.SmShare : floor + ((want.SmShare - floor) * smScale);
                vramLeft -= quota;
                granted += share;
                physicalLeft -= premap > held ? premap - held : 0;
                allocations.Add(new GpuAllocation(requests[i].App, gpu.Index, quota, premap, share, view.Step, untilStep));
                if (quota < want.VramQuotaBytes || share < want.SmShare - 1e-12)
                {
                    shortfalls.Add(new Shortfall(requests[i].App, want.VramQuotaBytes, quota, want.SmShare, share, $"GPU {gpu.Index} is full for priority {requests[i].Priority.Class}/{requests[i].Priority.Weight}"));
                }
            }

            smLeft -= granted;
        }

        if (limits.WorkConserving)
        {
            ReserveAndLend(view, allocations, first, usable, requests, wants, here, limits.LimitHysteresis);
        }
    }

    /// <summary>
    /// Work-conserving caps: reservations and limits. An application's reservation is its median
    /// forecast plus its part of the GPU's pooled headroom: the headroom above the medians that the
    /// GPU's applications need together at the likely quantile is √Σ spread², not Σ spread (bursts of
    /// independent applications rarely coincide; <see cref="Want.Sum"/>), shared in proportion to each
    /// one's spread — never below what it holds or its floor, never above its grant. Its VRAM quota is
    /// its grant raised into all the memory no reservation on the GPU claims, up to its ceiling:
    /// whoever allocates it first has it, until the next plan. Its SM share is its ceiling, but never
    /// more than the GPU has after the node's reserve (the reserve is never lent out): SMs are
    /// time-sliced, so a cap below it would only idle SMs nobody uses; when the applications want
    /// more than the GPU has, that is contention, and the replay counts it. The pre-map target stays within
    /// the reservation: pre-mapped memory is physical, and a pool beyond the reservation would sit on
    /// memory another application's reservation is promised.
    /// </summary>
    private static void ReserveAndLend(NodeView view, List<GpuAllocation> allocations, int first, ResourceVector usable, IReadOnlyList<PlanRequest> requests, Want[] wants, int[] here, double hysteresis)
    {
        int n = allocations.Count - first;
        if (n == 0)
        {
            return;
        }

        var wantOf = here.ToDictionary(i => requests[i].App, i => wants[i]);
        var vramMedian = new double[n];
        var smMedian = new double[n];
        double vramSpread = 0, vramSquares = 0, smSpread = 0, smSquares = 0;
        for (int k = 0; k < n; k++)
        {
            GpuAllocation a = allocations[first + k];
            Want w = wantOf[a.App];
            vramMedian[k] = Math.Clamp(w.Median?.VramBytes ?? a.VramQuotaBytes, Math.Min(w.Held, a.VramQuotaBytes), a.VramQuotaBytes);
            smMedian[k] = Math.Clamp(w.Median?.SmFraction ?? a.SmShare, Math.Min(w.SmFloor, a.SmShare), a.SmShare);
            double v = a.VramQuotaBytes - vramMedian[k], m = a.SmShare - smMedian[k];
            (vramSpread, vramSquares, smSpread, smSquares) = (vramSpread + v, vramSquares + (v * v), smSpread + m, smSquares + (m * m));
        }

        // The part of each spread the GPU reserves: 1 for a lone application, less the more share it.
        double vramPool = vramSpread > 0 ? Math.Sqrt(vramSquares) / vramSpread : 1;
        double smPool = smSpread > 0 ? Math.Sqrt(smSquares) / smSpread : 1;
        var reservedVram = new ulong[n];
        var reservedSm = new double[n];
        double vramReserved = 0;
        for (int k = 0; k < n; k++)
        {
            GpuAllocation a = allocations[first + k];
            Want w = wantOf[a.App];
            ulong floor = Math.Min(Math.Max(w.VramFloorBytes, w.Held), a.VramQuotaBytes);
            reservedVram[k] = Math.Clamp(VramGranularity.RoundUp(vramMedian[k] + ((a.VramQuotaBytes - vramMedian[k]) * vramPool)), floor, a.VramQuotaBytes);
            reservedSm[k] = Math.Clamp(smMedian[k] + ((a.SmShare - smMedian[k]) * smPool), Math.Min(w.SmFloor, a.SmShare), a.SmShare);
            vramReserved += reservedVram[k];
        }

        ulong idleVram = VramGranularity.RoundDown(Math.Max(0, usable.VramBytes - vramReserved));
        for (int k = 0; k < n; k++)
        {
            GpuAllocation a = allocations[first + k];
            Want w = wantOf[a.App];
            ulong quota = Math.Max(a.VramQuotaBytes, Math.Min(w.CeilingVramBytes, reservedVram[k] + idleVram));
            double share = Math.Max(a.SmShare, Math.Min(usable.SmFraction, w.CeilingSm));
            ulong premap = Math.Min(a.PremapTargetBytes, Math.Max(reservedVram[k], w.Held));
            if (view.Current.TryGetValue(a.App, out GpuAllocation now) && now.Gpu == a.Gpu)
            {
                // Lent memory moves whenever anyone's reservation on the GPU does: keep the quota and
                // the pool in force while they are still safe (within the new limit and reservation)
                // and no more than the hysteresis below them, so the interposer is not rewritten for
                // every chunk.
                quota = Steady(now.VramQuotaBytes, Math.Max(a.VramQuotaBytes, quota * (1 - hysteresis)), quota);
                premap = Steady(now.PremapTargetBytes, premap * (1 - hysteresis), premap);
            }

            allocations[first + k] = a with { VramQuotaBytes = quota, SmShare = share, PremapTargetBytes = premap, ReservedVramBytes = reservedVram[k], ReservedSmShare = reservedSm[k] };
        }
    }

    /// <summary>The value in force when it lies in [<paramref name="low"/>, <paramref name="high"/>], else <paramref name="high"/>.</summary>
    private static ulong Steady(ulong inForce, double low, ulong high) => inForce <= high && inForce >= low ? inForce : high;

    /// <summary>
    /// Keeps each application on the GPU it has; puts a new one where its arrival leaves the lowest
    /// dominant share (the larger of claimed memory and claimed SM fraction). Returns positions in
    /// <see cref="NodeView.Gpus"/>.
    /// </summary>
    private static int[] Place(NodeView view, IReadOnlyList<PlanRequest> requests, Want[] wants)
    {
        (int[] slot, double[] vram, double[] sm) = Keep(view, requests, wants);
        for (int i = 0; i < requests.Count; i++)
        {
            if (slot[i] < 0)
            {
                Claim(slot, vram, sm, i, LowestDominant(view, vram, sm, wants[i]), wants[i]);
            }
        }

        return slot;
    }

    /// <summary>
    /// Like <see cref="Place"/> for applications that have a GPU; a new one goes to the fullest GPU
    /// where the likely total (<see cref="Want.Sum"/>) still fits what it has after the reserve and the
    /// quotas stay within the oversubscription limit — bin packing, so that whole GPUs stay free for
    /// large jobs. When no GPU fits, the one with the lowest dominant share takes it.
    /// </summary>
    private static int[] Pack(NodeView view, IReadOnlyList<PlanRequest> requests, Want[] wants, ArbiterLimits limits)
    {
        int gpus = view.Gpus.Count;
        (int[] slot, double[] quota, double[] sm) = Keep(view, requests, wants);
        var members = new List<Want>[gpus];
        var usable = new ResourceVector[gpus];
        for (int g = 0; g < gpus; g++)
        {
            members[g] = [];
            usable[g] = Usable(view.Gpus[g], limits.Reserve);
        }

        for (int i = 0; i < requests.Count; i++)
        {
            if (slot[i] >= 0)
            {
                members[slot[i]].Add(wants[i]);
            }
        }

        // Largest first, the classic first-fit-decreasing order.
        foreach (int i in Enumerable.Range(0, requests.Count).Where(i => slot[i] < 0).OrderByDescending(i => wants[i].LikelyVram).ThenBy(i => i))
        {
            int best = -1;
            double bestLoad = -1;
            for (int g = 0; g < gpus; g++)
            {
                (double vram, double likelySm) = Want.Sum(members[g].Append(wants[i]));
                bool fits = vram <= usable[g].VramBytes && likelySm <= usable[g].SmFraction
                    && quota[g] + wants[i].VramQuotaBytes <= usable[g].VramBytes * limits.MaxOversubscription;
                (double heldVram, double heldSm) = Want.Sum(members[g]);
                double load = members[g].Count == 0 ? 0 : Math.Max(heldVram / Math.Max(1, usable[g].VramBytes), heldSm / Math.Max(1e-9, usable[g].SmFraction));
                if (fits && load > bestLoad)
                {
                    (best, bestLoad) = (g, load);
                }
            }

            int chosen = best >= 0 ? best : LowestDominant(view, quota, sm, wants[i]);
            Claim(slot, quota, sm, i, chosen, wants[i]);
            members[chosen].Add(wants[i]);
        }

        return slot;
    }

    /// <summary>Each application that holds a grant stays on its GPU (−1 for new ones), with the quotas and shares its GPU's wants claim.</summary>
    private static (int[] Slot, double[] Vram, double[] Sm) Keep(NodeView view, IReadOnlyList<PlanRequest> requests, Want[] wants)
    {
        var vram = new double[view.Gpus.Count];
        var sm = new double[view.Gpus.Count];
        var slot = new int[requests.Count];
        for (int i = 0; i < requests.Count; i++)
        {
            slot[i] = -1;
            if (view.Current.TryGetValue(requests[i].App, out GpuAllocation current) && IndexOf(view, current.Gpu) is int g and >= 0)
            {
                Claim(slot, vram, sm, i, g, wants[i]);
            }
        }

        return (slot, vram, sm);
    }

    private static void Claim(int[] slot, double[] vram, double[] sm, int i, int g, Want want)
    {
        slot[i] = g;
        vram[g] += want.VramQuotaBytes;
        sm[g] += want.SmShare;
    }

    /// <summary>The GPU where <paramref name="want"/>'s arrival leaves the lowest dominant share of claimed memory and SM.</summary>
    private static int LowestDominant(NodeView view, double[] vram, double[] sm, Want want)
    {
        int best = 0;
        double bestShare = double.MaxValue;
        for (int g = 0; g < view.Gpus.Count; g++)
        {
            ResourceVector cap = view.Gpus[g].Capacity;
            double share = Math.Max((vram[g] + want.VramQuotaBytes) / cap.VramBytes, (sm[g] + want.SmShare) / cap.SmFraction);
            if (share < bestShare)
            {
                (best, bestShare) = (g, share);
            }
        }

        return best;
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

    /// <summary>The applications in tiers of equal priority, highest first; within a tier by identity, for a stable order.</summary>
    private static IEnumerable<int[]> ByPriority(IReadOnlyList<PlanRequest> requests, int[] here) =>
        here.GroupBy(i => requests[i].Priority)
            .OrderByDescending(g => g.Key)
            .Select(g => g.OrderBy(i => requests[i].App.Pid).ThenBy(i => requests[i].App.StartTime).ToArray());
}
