using Gpupredict.Core.Enforcement;
using Gpupredict.Core.Pipeline;
using Gpupredict.Simulation.Replay;

namespace Gpupredict.Simulation.Comparison;

/// <summary>
/// Applications per GPU measured by running on a node of that size, not by summing reservations:
/// for each policy, the fewest GPUs on which it keeps under-allocation within a budget. Density
/// from reservations assumes whatever a policy leaves unreserved could host someone else; here the
/// policy has to place and serve the applications on that node, and every miss its packing causes
/// (out of memory, SM contention, refused growth) counts.
/// </summary>
public static class NodeSizing
{
    /// <summary>
    /// Bisects 1..<paramref name="maxGpus"/> for each entry. Under-allocation mostly falls as the node
    /// grows, but placement can make it jump by a step or two, so the answer is the smallest size
    /// the bisection found within the budget, not a proof that no smaller one is.
    /// </summary>
    /// <param name="apps">The applications.</param>
    /// <param name="entries">The policies.</param>
    /// <param name="nodeOf">A fresh simulated node with the given number of GPUs.</param>
    /// <param name="maxGpus">The largest node tried.</param>
    /// <param name="budget">Under-allocated application-steps allowed, as a fraction in [0, 1).</param>
    /// <param name="probed">Called after each replay with (policy, GPUs, under-allocated fraction); may be null.</param>
    /// <param name="admission">Who decides arriving applications' terms; null: the terms each <see cref="ReplayApp"/> carries.</param>
    /// <param name="cancellationToken">Stops between replays.</param>
    public static IReadOnlyList<NodeSize> Fit(IReadOnlyList<ReplayApp> apps, IReadOnlyList<PolicyEntry> entries, Func<int, ISimulatedNode> nodeOf, int maxGpus, double budget, Action<string, int, double>? probed = null, IAdmission? admission = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(apps);
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(nodeOf);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxGpus, 1);
        if (!(budget >= 0 && budget < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(budget), budget, "expected a fraction of application-steps in [0, 1)");
        }

        var sizes = new List<NodeSize>(entries.Count);
        foreach (PolicyEntry entry in entries)
        {
            var tried = new Dictionary<int, PolicyFigures>();
            PolicyFigures On(int gpus)
            {
                if (!tried.TryGetValue(gpus, out PolicyFigures? figures))
                {
                    figures = PolicyComparison.Run(apps, [entry], () => nodeOf(gpus), admission: admission, cancellationToken: cancellationToken).Runs[0].Figures;
                    tried.Add(gpus, figures);
                    probed?.Invoke(entry.Policy, gpus, figures.UnderAllocatedFraction);
                }

                return figures;
            }

            PolicyFigures largest = On(maxGpus);
            if (largest.UnderAllocatedFraction > budget)
            {
                sizes.Add(new NodeSize(entry.Policy, largest.Forecaster, null, largest, 0, tried.Count));
                continue;
            }

            int low = 0, high = maxGpus; // low misses the budget (or is empty), high meets it
            while (high - low > 1)
            {
                int mid = low + ((high - low) / 2);
                if (On(mid).UnderAllocatedFraction <= budget)
                {
                    high = mid;
                }
                else
                {
                    low = mid;
                }
            }

            PolicyFigures fit = tried[high];
            sizes.Add(new NodeSize(entry.Policy, fit.Forecaster, high, fit, fit.MeanConcurrentApps / high, tried.Count));
        }

        return sizes;
    }
}
