using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Planning;

namespace Gpupredict.Manager.Planning.Baselines;

/// <summary>
/// HAMi's model of GPU sharing: each application declares fixed <c>gpumem</c> and <c>gpucores</c>
/// when it starts and they are enforced as hard limits for its whole life, never changed; nothing
/// is pre-mapped. The declaration is the one a careful user would write from a profile: peak VRAM
/// rounded up to a whole GiB and peak SM rounded up to a 10 % step (at least 1 GiB and 10 %).
/// Placement binpacks, as HAMi's default scheduler policy does: a new application goes to the
/// most-loaded GPU (by the larger of declared memory and declared cores) on which its declaration
/// still fits. When none fits it goes where most is left and gets what is left there (never less
/// than it holds), reported as a shortfall — HAMi would leave such a pod pending.
/// </summary>
public sealed class HamiPlanner : IPlanner
{
    /// <summary>The policy name.</summary>
    public const string PolicyName = "hami";

    private const double GiB = 1UL << 30;

    /// <inheritdoc />
    public string Name => PolicyName;

    /// <summary>The <c>gpumem</c> declaration for a peak of <paramref name="peakVramBytes"/>: whole GiB, at least 1, in bytes.</summary>
    public static ulong DeclaredVramBytes(double peakVramBytes) => (ulong)Math.Max(1, Math.Ceiling((peakVramBytes / GiB) - 1e-9)) * (1UL << 30);

    /// <summary>The <c>gpucores</c> declaration for a peak SM fraction: a multiple of 0.1 in [0.1, 1].</summary>
    public static double DeclaredSmShare(double peakSmFraction) => Math.Clamp(Math.Ceiling((peakSmFraction * 10) - 1e-9), 1, 10) / 10;

    /// <inheritdoc />
    public AllocationPlan Plan(NodeView view, IReadOnlyList<PlanRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(requests);
        if (view.Gpus.Count == 0)
        {
            throw new ArgumentException("the node view has no GPU", nameof(view));
        }

        var vram = new double[view.Gpus.Count];
        var sm = new double[view.Gpus.Count];
        var allocations = new List<GpuAllocation>(requests.Count);
        var shortfalls = new List<Shortfall>();
        var placed = new HashSet<AppId>();
        foreach (PlanRequest r in requests)
        {
            if (view.Current.TryGetValue(r.App, out GpuAllocation current))
            {
                // Declared once, enforced for life: the grant in force is re-issued unchanged.
                int g = SlotOf(view, current.Gpu);
                vram[g] += current.VramQuotaBytes;
                sm[g] += current.SmShare;
                allocations.Add(current);
                placed.Add(r.App);
            }
        }

        // Newcomers in a stable order (by identity), as a scheduler sees pods one at a time.
        foreach (PlanRequest r in requests.Where(r => !placed.Contains(r.App)).OrderBy(r => r.App.Pid).ThenBy(r => r.App.StartTime))
        {
            ulong wantVram = DeclaredVramBytes(Math.Max(r.Peak.VramBytes, r.Current.VramBytes));
            double wantSm = DeclaredSmShare(r.Peak.SmFraction);
            int g = BinPack(view, vram, sm, wantVram, wantSm);
            bool fits = g >= 0;
            g = fits ? g : MostRoom(view, vram, sm);
            ResourceVector cap = view.Gpus[g].Capacity;
            ulong held = VramGranularity.RoundUp(r.Current.VramBytes);
            ulong quota = fits ? wantVram : Math.Max(held, Math.Min(wantVram, WholeChunksBelow(cap.VramBytes - vram[g])));
            double share = fits ? wantSm : Math.Clamp(Math.Min(wantSm, cap.SmFraction - sm[g]), 0, 1);
            vram[g] += quota;
            sm[g] += share;
            allocations.Add(new GpuAllocation(r.App, view.Gpus[g].Index, quota, 0, share, view.Step, long.MaxValue));
            if (!fits)
            {
                shortfalls.Add(new Shortfall(r.App, wantVram, quota, wantSm, share, $"no GPU has room for the declared {wantVram >> 30} GiB and {wantSm * 100:0}% cores"));
            }
        }

        return new AllocationPlan(allocations, shortfalls);
    }

    /// <summary>The most-loaded GPU on which the declaration fits, or -1; ties go to the lower index.</summary>
    private static int BinPack(NodeView view, double[] vram, double[] sm, ulong wantVram, double wantSm)
    {
        int best = -1;
        double bestLoad = double.MinValue;
        for (int g = 0; g < view.Gpus.Count; g++)
        {
            ResourceVector cap = view.Gpus[g].Capacity;
            bool fits = vram[g] + wantVram <= cap.VramBytes && sm[g] + wantSm <= cap.SmFraction + 1e-9;
            double load = Math.Max(vram[g] / cap.VramBytes, sm[g] / cap.SmFraction);
            if (fits && load > bestLoad)
            {
                (best, bestLoad) = (g, load);
            }
        }

        return best;
    }

    /// <summary>The least-loaded GPU; ties go to the lower index.</summary>
    private static int MostRoom(NodeView view, double[] vram, double[] sm)
    {
        int best = 0;
        double bestLoad = double.MaxValue;
        for (int g = 0; g < view.Gpus.Count; g++)
        {
            ResourceVector cap = view.Gpus[g].Capacity;
            double load = Math.Max(vram[g] / cap.VramBytes, sm[g] / cap.SmFraction);
            if (load < bestLoad)
            {
                (best, bestLoad) = (g, load);
            }
        }

        return best;
    }

    private static ulong WholeChunksBelow(double bytes) =>
        bytes <= 0 ? 0 : (ulong)Math.Floor(bytes / VramGranularity.ChunkBytes) * VramGranularity.ChunkBytes;

    private static int SlotOf(NodeView view, int gpuIndex)
    {
        for (int g = 0; g < view.Gpus.Count; g++)
        {
            if (view.Gpus[g].Index == gpuIndex)
            {
                return g;
            }
        }

        throw new ArgumentException($"a grant names GPU {gpuIndex}, which the view does not have", nameof(view));
    }
}
