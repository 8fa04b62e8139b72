using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Forecasts;
using Gpupredict.Core.Pipeline;
using Gpupredict.Core.Planning;
using Gpupredict.Forecasting.Baselines;
using Gpupredict.Node.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Gpupredict.Node.Tests;

/// <summary>The loop on a clock: a live node ticks when each step has ended, never skips a step, and says how late it was.</summary>
public sealed class NodeLoopTests
{
    private static readonly NodeSpec OneGpu = new([new GpuCapacity(0, "g0", new ResourceVector(1, 1e12, 80e9))], TimeBase.StepNs);

    private static (NodeLoop Loop, ScriptedSource Source) Build(TimeProvider clock)
    {
        var source = new ScriptedSource();
        var backend = new RecordingBackend();
        var tick = new NodeTick(OneGpu, source, new Everyone(), new EwmaQuantileForecaster(2, QuantileGrid.Planning), new ScriptedPlanner((_, _) => new AllocationPlan([], [])), backend, new ImmediateSlowPath(backend), []);
        return (new NodeLoop(tick, clock), source);
    }

    [Fact]
    public async Task RunAsync_ClockAdvancesStepByStep_OneTickPerEndedStep()
    {
        var clock = new CountingClock();
        (NodeLoop loop, ScriptedSource source) = Build(clock);
        using var stop = new CancellationTokenSource();
        Task running = loop.RunAsync(0, stop.Token);

        await WaitFor(() => clock.Timers == 1);
        Assert.Empty(source.Read); // step 0 has not ended
        for (int s = 1; s <= 3; s++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(10));
            await WaitFor(() => source.Read.Count == s);
        }

        await stop.CancelAsync();
        await running;
        Assert.Equal([0L, 1, 2], source.Read);
        Assert.Equal(0, loop.MaxLatenessNs);
    }

    [Fact]
    public async Task RunAsync_ClockJumpsThreeSteps_RunsEveryMissedStepAndReportsLateness()
    {
        var clock = new CountingClock();
        (NodeLoop loop, ScriptedSource source) = Build(clock);
        using var stop = new CancellationTokenSource();
        Task running = loop.RunAsync(5, stop.Token);
        await WaitFor(() => clock.Timers == 1);

        clock.Advance(TimeSpan.FromMilliseconds(35)); // steps 5, 6 and 7 have ended: none may be skipped
        await WaitFor(() => source.Read.Count == 3);
        await stop.CancelAsync();
        await running;

        Assert.Equal([5L, 6, 7], source.Read);
        Assert.Equal(25_000_000, loop.MaxLatenessNs); // step 5 ended at 10 ms and ran at 35
        Assert.Equal(3, loop.Ticks);
    }

    [Fact]
    public void RunSteps_VirtualTime_BackToBackWithProgress()
    {
        (NodeLoop loop, ScriptedSource source) = Build(TimeProvider.System);
        var progress = new List<(long, long)>();

        loop.RunSteps(0, 2500, (done, total) => progress.Add((done, total)));

        Assert.Equal(2500, source.Read.Count);
        Assert.Equal([(1000L, 2500L), (2000L, 2500L)], progress);
    }

    private static async Task WaitFor(Func<bool> condition)
    {
        for (int i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition(), "timed out waiting for the loop");
    }

    /// <summary>A fake clock that counts the timers the loop starts, so the test advances it only once the loop waits.</summary>
    private sealed class CountingClock : FakeTimeProvider
    {
        private int _timers;

        public int Timers => Volatile.Read(ref _timers);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref _timers);
            return base.CreateTimer(callback, state, dueTime, period);
        }
    }

    private sealed class Everyone : IAdmission
    {
        public AppTerms Admit(AppId app, AppIdentity identity) => AppTerms.Default;
    }
}
