using Gpupredict.Core.Allocation;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Planning;

namespace Gpupredict.Manager.Planning;

/// <summary>
/// Relieves hot GPUs by moving applications to GPUs with room. A GPU is hot when the likely demand
/// of its applications (their oversubscription-quantile forecasts) exceeds what it has after the
/// reserve, in memory or SM. Candidates are applications already running there that policy lets
/// move, the lowest priority class first and the cheapest (fewest bytes to move) within it; a move is taken when the target has room for the
/// candidate's likely demand, the pause (checkpoint out and restore in, estimated) is within the
/// limit, and the share of the source GPU it frees is at least the minimum gain. Two costs outweigh
/// the pause limit. A GPU out of memory now (its applications demand more than it has) is relieved
/// whatever the pause: a failed allocation costs the application more. On a GPU whose SMs are
/// oversubscribed now (its applications demand Σ SM above what it has, and time-slice), each busy
/// application runs at capacity / Σ SM of its speed; a move is taken when the time that costs the
/// candidate over the grant window is more than its pause. At most one move per application per
/// plan; moves stop once the source is no longer hot.
/// </summary>
internal static class MigrationPlanner
{
    /// <summary>Moves applications in <paramref name="slot"/> (positions in <see cref="NodeView.Gpus"/>) and returns the migrations, in order.</summary>
    public static IReadOnlyList<SlowAction> Relieve(NodeView view, IReadOnlyList<PlanRequest> requests, Want[] wants, int[] slot, ResourceVector reserve, ForecastPlannerOptions options)
    {
        int gpus = view.Gpus.Count;
        if (gpus < 2)
        {
            return [];
        }

        var usable = view.Gpus.Select(g => CapacityArbiter.Usable(g, reserve)).ToArray();
        var members = new List<int>[gpus];
        for (int g = 0; g < gpus; g++)
        {
            members[g] = [];
        }

        for (int i = 0; i < requests.Count; i++)
        {
            members[slot[i]].Add(i);
        }

        (double Vram, double Sm) Total(int g, int add = -1, int remove = -1) =>
            Want.Sum(members[g].Where(i => i != remove).Select(i => wants[i]).Concat(add >= 0 ? [wants[add]] : []));

        var moves = new List<SlowAction>();
        for (int g = 0; g < gpus; g++)
        {
            foreach (int i in Candidates(view, requests, slot, g))
            {
                // What the GPU's applications demand now, after the moves already planned off it.
                bool outOfMemory = members[g].Sum(j => requests[j].Current.VramBytes) > view.Gpus[g].Capacity.VramBytes;
                double smNow = members[g].Sum(j => requests[j].Current.SmFraction);
                long contentionNs = smNow > view.Gpus[g].Capacity.SmFraction
                    ? (long)((1 - (view.Gpus[g].Capacity.SmFraction / smNow)) * options.WindowSteps * options.StepNs)
                    : 0;
                (double vram, double sm) = Total(g);
                if (!Hot(vram, sm, usable[g]))
                {
                    break;
                }

                Want w = wants[i];
                double gain = Math.Max(w.LikelyVram / Math.Max(1, usable[g].VramBytes), w.LikelySm / Math.Max(1e-9, usable[g].SmFraction));
                double bytes = requests[i].Current.VramBytes;
                long pause = 2 * options.TransferPauseNs(bytes);
                int target = Target(members, usable, g, i, Total);
                bool worthIt = outOfMemory || (requests[i].Current.SmFraction > 0 && contentionNs > pause);
                if (target < 0 || gain < options.MinMigrationGain || (pause > options.MaxMigrationPauseNs && !worthIt))
                {
                    continue;
                }

                members[g].Remove(i);
                members[target].Add(i);
                slot[i] = target;
                moves.Add(new SlowAction(
                    SlowActionKind.Migrate, requests[i].App, view.Gpus[g].Index, view.Gpus[target].Index, 0, VramGranularity.RoundUp(bytes), pause,
                    $"GPU {view.Gpus[g].Index} is {(outOfMemory ? "out of memory" : contentionNs > pause ? "SM-contended" : "hot")} (likely {vram:0} B, SM {sm:0.00} of {usable[g].VramBytes:0} B, {usable[g].SmFraction:0.00}); moving frees {gain:P0}"));
            }
        }

        return moves;
    }

    private static bool Hot(double vram, double sm, ResourceVector usable) => vram > usable.VramBytes || sm > usable.SmFraction + 1e-9;

    /// <summary>
    /// Applications on GPU <paramref name="g"/> that hold a grant there and may move: the lowest
    /// priority first (the preemption order by class), then the fewest held bytes (the cheapest move).
    /// </summary>
    private static int[] Candidates(NodeView view, IReadOnlyList<PlanRequest> requests, int[] slot, int g) =>
        Enumerable.Range(0, requests.Count)
            .Where(i => slot[i] == g && requests[i].Limits.MayMigrate && view.Current.ContainsKey(requests[i].App))
            .OrderBy(i => requests[i].Priority)
            .ThenBy(i => requests[i].Current.VramBytes)
            .ToArray();

    /// <summary>The GPU other than <paramref name="from"/> with the most room left after taking application <paramref name="app"/> without becoming hot; −1 when none.</summary>
    private static int Target(List<int>[] members, ResourceVector[] usable, int from, int app, Func<int, int, int, (double Vram, double Sm)> total)
    {
        int best = -1;
        double bestRoom = double.MinValue;
        for (int t = 0; t < members.Length; t++)
        {
            if (t == from)
            {
                continue;
            }

            (double vram, double sm) = total(t, app, -1);
            if (Hot(vram, sm, usable[t]))
            {
                continue;
            }

            double room = Math.Min((usable[t].VramBytes - vram) / Math.Max(1, usable[t].VramBytes), (usable[t].SmFraction - sm) / Math.Max(1e-9, usable[t].SmFraction));
            if (room > bestRoom)
            {
                (best, bestRoom) = (t, room);
            }
        }

        return best;
    }
}
