using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Planning;

namespace Gpupredict.Manager.Planning.Baselines;

/// <summary>
/// The limit no real policy can reach: fed a forecast that is the application's true future demand
/// (the replay's oracle forecaster), it grants exactly the maximum of that demand over the next
/// <see cref="WindowSteps"/> steps, with no headroom, and pre-maps all of it. It places a newcomer
/// knowing its whole life too: on the GPU where the lifetime peaks (<see cref="PlanRequest.Peak"/>)
/// of the applications there, with it, leave the lowest dominant share. Only a node too small for
/// the demand makes it under-allocate.
/// </summary>
public sealed class OraclePlanner : IPlanner
{
    /// <summary>The policy name.</summary>
    public const string PolicyName = "oracle";

    /// <summary>Creates the planner.</summary>
    /// <param name="windowSteps">Steps of 10 ms each grant covers, ≥ 1; default 1 (re-planned every step, so the tightest grant).</param>
    public OraclePlanner(int windowSteps = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(windowSteps, 1);
        WindowSteps = windowSteps;
    }

    /// <summary>Steps of 10 ms each grant covers.</summary>
    public int WindowSteps { get; }

    /// <inheritdoc />
    public string Name => PolicyName;

    /// <inheritdoc />
    public AllocationPlan Plan(NodeView view, IReadOnlyList<PlanRequest> requests)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(requests);
        return CapacityArbiter.Arbitrate(PlaceNewcomers(view, requests), requests, WantOf, view.Step + WindowSteps);
    }

    /// <summary>
    /// The view with every newcomer already "on" the GPU its lifetime peak fits best, so that the
    /// arbiter (which keeps applications where they are) grants it there; the placeholders carry
    /// nothing but the GPU.
    /// </summary>
    private static NodeView PlaceNewcomers(NodeView view, IReadOnlyList<PlanRequest> requests)
    {
        if (view.Gpus.Count < 2 || requests.All(r => view.Current.ContainsKey(r.App)))
        {
            return view;
        }

        var vram = new double[view.Gpus.Count];
        var sm = new double[view.Gpus.Count];
        var current = new Dictionary<AppId, GpuAllocation>(view.Current);
        foreach (PlanRequest r in requests)
        {
            if (view.Current.TryGetValue(r.App, out GpuAllocation held))
            {
                int g = Slot(view, held.Gpu);
                vram[g] += r.Peak.VramBytes;
                sm[g] += r.Peak.SmFraction;
            }
        }

        foreach (PlanRequest r in requests.Where(r => !view.Current.ContainsKey(r.App)).OrderBy(r => r.App.Pid).ThenBy(r => r.App.StartTime))
        {
            int best = 0;
            double bestShare = double.MaxValue;
            for (int g = 0; g < view.Gpus.Count; g++)
            {
                ResourceVector cap = view.Gpus[g].Capacity;
                double share = Math.Max((vram[g] + r.Peak.VramBytes) / cap.VramBytes, (sm[g] + r.Peak.SmFraction) / cap.SmFraction);
                if (share < bestShare)
                {
                    (best, bestShare) = (g, share);
                }
            }

            vram[best] += r.Peak.VramBytes;
            sm[best] += r.Peak.SmFraction;
            current[r.App] = new GpuAllocation(r.App, view.Gpus[best].Index, 0, 0, 0, view.Step, view.Step);
        }

        return view with { Current = current };
    }

    private static int Slot(NodeView view, int gpuIndex)
    {
        for (int g = 0; g < view.Gpus.Count; g++)
        {
            if (view.Gpus[g].Index == gpuIndex)
            {
                return g;
            }
        }

        return 0;
    }

    private Want WantOf(PlanRequest r)
    {
        ResourceVector future = r.Forecast.MaxOver(WindowSteps, r.Forecast.Levels.Length - 1);
        ulong quota = VramGranularity.RoundUp(future.VramBytes);
        // No floor: the oracle knows the memory held now is freed before the granted steps begin.
        return new Want(quota, quota, Math.Clamp(future.SmFraction, 0, 1), VramFloorBytes: 0);
    }
}
