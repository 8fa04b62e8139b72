using Gpupredict.Core.Allocation;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Planning;

namespace Gpupredict.Manager.Planning;

/// <summary>
/// Relieves hot GPUs by moving applications to GPUs with room. A GPU is hot when the likely demand
/// of its applications (their oversubscription-quantile forecasts) exceeds what it has after the
/// reserve, in memory or SM. Candidates are applications already running there that policy lets
/// move, the lowest priority class first and the cheapest (fewest bytes to move) within it. A move
/// needs a target with room for the candidate's likely demand and must free at least the minimum
/// gain of the source; then its pause (checkpoint out and restore in, estimated) is weighed against
/// what it avoids. Within the pause limit: a forecast of too little memory (an out-of-memory ahead),
/// or a forecast of too little SM whose slowdown over the grant window (each busy application runs
/// at capacity / Σ SM of its speed) costs more than the pause. Past the limit, only a failure now: a
/// GPU out of memory (its applications demand more than it has), or SMs oversubscribed now with a
/// slowdown over the window that costs the candidate more than its pause. At most one move per
/// application per plan; moves stop once the source is no longer hot.
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

        // Each GPU's likely total and current use, kept per GPU and recomputed (in member order, the
        // same sums as before) only when a move changes its members: asking every GPU "with one more"
        // for every candidate was O(applications²) per plan.
        var loads = new GpuLoad[gpus];
        var hot = new bool[gpus];
        for (int g = 0; g < gpus; g++)
        {
            loads[g] = GpuLoad.Of(members[g], requests, wants);
            hot[g] = Hot(loads[g].Likely.Result, usable[g]);
        }

        var moves = new List<SlowAction>();
        for (int g = 0; g < gpus; g++)
        {
            if (!hot[g])
            {
                continue;
            }

            foreach (int i in Candidates(view, requests, members[g]))
            {
                (double vram, double sm) = loads[g].Likely.Result;
                if (!Hot(vram, sm, usable[g]))
                {
                    break;
                }

                // What the GPU's applications demand now, after the moves already planned off it.
                bool outOfMemory = loads[g].CurrentVram > view.Gpus[g].Capacity.VramBytes;
                long contentionNs = SlowdownNs(view.Gpus[g].Capacity.SmFraction, loads[g].CurrentSm, options);

                Want w = wants[i];
                double gain = Math.Max(w.LikelyVram / Math.Max(1, usable[g].VramBytes), w.LikelySm / Math.Max(1e-9, usable[g].SmFraction));
                double bytes = requests[i].Current.VramBytes;
                long pause = 2 * options.TransferPauseNs(bytes);
                int target = Target(loads, hot, usable, g, wants[i]);
                // Past the pause limit only a failure now outweighs the pause. Within it, a forecast of
                // too little memory does (an out-of-memory ahead); a forecast of too little SM only
                // when the slowdown it forecasts over the window costs more than the pause.
                bool busy = requests[i].Current.SmFraction > 0;
                bool urgent = outOfMemory || (busy && contentionNs > pause);
                long forecastSlowdownNs = SlowdownNs(usable[g].SmFraction, sm, options);
                bool worthIt = urgent || vram > usable[g].VramBytes || forecastSlowdownNs > pause;
                if (target < 0 || gain < options.MinMigrationGain || !(pause <= options.MaxMigrationPauseNs ? worthIt : urgent))
                {
                    continue;
                }

                members[g].Remove(i);
                members[target].Add(i);
                loads[g] = GpuLoad.Of(members[g], requests, wants);
                loads[target] = GpuLoad.Of(members[target], requests, wants);
                hot[g] = Hot(loads[g].Likely.Result, usable[g]);
                hot[target] = Hot(loads[target].Likely.Result, usable[target]);
                slot[i] = target;
                moves.Add(new SlowAction(
                    SlowActionKind.Migrate, requests[i].App, view.Gpus[g].Index, view.Gpus[target].Index, 0, VramGranularity.RoundUp(bytes), pause,
                    $"GPU {view.Gpus[g].Index} is {(outOfMemory ? "out of memory" : contentionNs > pause ? "SM-contended" : "hot")} (likely {vram:0} B, SM {sm:0.00} of {usable[g].VramBytes:0} B, {usable[g].SmFraction:0.00}); moving frees {gain:P0}"));
            }
        }

        return moves;
    }

    /// <summary>
    /// Time an application busy over the grant window loses when a GPU with <paramref name="capacity"/>
    /// SM is asked for <paramref name="demand"/>: time-sliced, it runs at capacity / demand of its speed.
    /// </summary>
    private static long SlowdownNs(double capacity, double demand, ForecastPlannerOptions options) =>
        demand > capacity ? (long)((1 - (capacity / demand)) * options.WindowSteps * options.StepNs) : 0;

    private static bool Hot(double vram, double sm, ResourceVector usable) => vram > usable.VramBytes || sm > usable.SmFraction + 1e-9;

    private static bool Hot((double Vram, double Sm) likely, ResourceVector usable) => Hot(likely.Vram, likely.Sm, usable);

    /// <summary>
    /// The applications on a GPU (<paramref name="members"/>) that hold a grant and may move: the lowest
    /// priority first (the preemption order by class), then the fewest held bytes (the cheapest move).
    /// </summary>
    private static List<int> Candidates(NodeView view, IReadOnlyList<PlanRequest> requests, List<int> members)
    {
        var candidates = new List<int>(members.Count);
        foreach (int i in members)
        {
            if (requests[i].Limits.MayMigrate && view.Current.ContainsKey(requests[i].App))
            {
                candidates.Add(i);
            }
        }

        // A total order (ties by request position), so that plans are the same from run to run.
        candidates.Sort((x, y) => requests[x].Priority != requests[y].Priority ? requests[x].Priority.CompareTo(requests[y].Priority)
            : requests[x].Current.VramBytes != requests[y].Current.VramBytes ? requests[x].Current.VramBytes.CompareTo(requests[y].Current.VramBytes)
            : x.CompareTo(y));
        return candidates;
    }

    /// <summary>
    /// The GPU other than <paramref name="from"/> with the most room left after taking <paramref name="want"/>
    /// without becoming hot; −1 when none. A GPU hot already stays hot with one more, so only cool ones are weighed.
    /// </summary>
    private static int Target(GpuLoad[] loads, bool[] hot, ResourceVector[] usable, int from, in Want want)
    {
        int best = -1;
        double bestRoom = double.MinValue;
        for (int t = 0; t < loads.Length; t++)
        {
            if (t == from || hot[t])
            {
                continue;
            }

            (double vram, double sm) = loads[t].Likely.With(want);
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

    /// <summary>A GPU's likely total (<see cref="Want.Sum"/>) and what its applications use now.</summary>
    private readonly record struct GpuLoad(WantTotal Likely, double CurrentVram, double CurrentSm)
    {
        public static GpuLoad Of(List<int> members, IReadOnlyList<PlanRequest> requests, Want[] wants)
        {
            var likely = default(WantTotal);
            double vram = 0, sm = 0;
            foreach (int j in members)
            {
                likely.Add(wants[j]);
                vram += requests[j].Current.VramBytes;
                sm += requests[j].Current.SmFraction;
            }

            return new GpuLoad(likely, vram, sm);
        }
    }
}
