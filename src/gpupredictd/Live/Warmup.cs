using System.Collections.ObjectModel;
using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Enforcement;
using Gpupredict.Core.Forecasts;
using Gpupredict.Core.Pipeline;
using Gpupredict.Core.Planning;
using Gpupredict.Node;

namespace Gpupredict.Daemon.Live;

/// <summary>
/// Runs the daemon's own tick code on made-up applications before the first real one arrives, so the
/// just-in-time compilation of the forecaster, planner and tick (about 100 ms on a 2-vCPU machine,
/// measured as the first live tick after the first registration starting 100 ms late) happens before
/// READY=1, not in a live application's step. A throwaway <see cref="NodeTick"/> with fresh instances
/// of the same forecaster and planner types, a source of eight synthetic applications, and a backend
/// that accepts everything; nothing of it is kept.
/// </summary>
internal static class Warmup
{
    /// <summary>Steps the throwaway loop runs.</summary>
    public const int Steps = 200;

    public static void Run(NodeSpec node, IAdmission admission, IForecaster forecaster, IPlanner planner)
    {
        var accept = new AcceptEverything();
        var tick = new NodeTick(node, new SyntheticSource(), admission, forecaster, planner, accept, new ImmediateSlowPath(accept), []);
        for (long step = 0; step < Steps; step++)
        {
            tick.Run(step);
        }
    }

    /// <summary>Eight applications with sawtooth SM, bandwidth and VRAM, arriving over the first steps and leaving before the end.</summary>
    private sealed class SyntheticSource : IDemandSource
    {
        private const int Apps = 8;
        private static readonly AppIdentity Identity = new("warmup", null, uint.MaxValue, uint.MaxValue, null, null, ReadOnlyDictionary<string, string>.Empty);

        public string Name => "warmup";

        public void Read(long step, DemandFrame frame)
        {
            for (int i = 0; i < Apps; i++)
            {
                var app = new AppId(int.MaxValue - i, 1); // above any pid_max: never a real process
                long first = i * 4;
                long last = Steps - 10 + i;
                if (step == first)
                {
                    frame.Arrive(new AppArrival(app, Identity, "warmup", ResourceVector.Zero, GpuHint: 0));
                }

                if (step >= first && step <= last)
                {
                    double phase = ((step + (i * 7)) % 20) / 20.0;
                    var demand = new ResourceVector(phase, phase * 1e11, (1 + i + (phase * 4)) * (1L << 30));
                    frame.Observe(new AppObservation(app, demand, default, Exits: step == last), []);
                }
            }
        }
    }

    private sealed class AcceptEverything : IEnforcementBackend
    {
        public string Name => "warmup";

        public EnforcementResult Apply(GpuAllocation allocation, string requestId) => EnforcementResult.Ok(requestId, changed: true);

        public EnforcementResult Release(AppId app, string requestId) => EnforcementResult.Ok(requestId, changed: true);

        public EnforcementResult Execute(SlowAction action, string requestId) => EnforcementResult.Ok(requestId, changed: true);
    }
}
