using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gpupredict.Node;

/// <summary>
/// Calls <see cref="NodeTick.Run"/> once per step: on a live node when the clock reaches the end of
/// the step (<see cref="RunAsync"/>), in a replay back to back on virtual time (<see cref="RunSteps"/>).
/// A late tick is never skipped (skipping would lose the step's demand): the loop runs the missed steps
/// at once and reports how late it was, so a loop that cannot keep up shows it (and a watchdog that
/// sees no progress restarts it).
/// </summary>
public sealed partial class NodeLoop
{
    private readonly NodeTick _tick;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private long _ticks;
    private long _lastLatenessNs;
    private long _maxLatenessNs;

    /// <summary>A loop over <paramref name="tick"/>, timed by <paramref name="clock"/> when run live.</summary>
    public NodeLoop(NodeTick tick, TimeProvider clock, ILogger<NodeLoop>? logger = null)
    {
        _tick = tick ?? throw new ArgumentNullException(nameof(tick));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Ticks run so far.</summary>
    public long Ticks => Interlocked.Read(ref _ticks);

    /// <summary>How late the last live tick started after its step ended, ns (0 on virtual time).</summary>
    public long LastLatenessNs => Interlocked.Read(ref _lastLatenessNs);

    /// <summary>The latest a live tick has started after its step ended, ns.</summary>
    public long MaxLatenessNs => Interlocked.Read(ref _maxLatenessNs);

    /// <summary>Runs steps [<paramref name="first"/>, <paramref name="end"/>) back to back: a replay's virtual time.</summary>
    /// <param name="first">The first step.</param>
    /// <param name="end">The step after the last one.</param>
    /// <param name="progress">Called with (steps done, steps in all) every 1000 steps; may be null.</param>
    /// <param name="cancellationToken">Stops between steps.</param>
    public void RunSteps(long first, long end, Action<long, long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        for (long step = first; step < end; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _tick.Run(step);
            Interlocked.Increment(ref _ticks);
            if (progress is not null && (step - first) % 1000 == 999)
            {
                progress(step - first + 1, end - first);
            }
        }
    }

    /// <summary>
    /// Runs live until cancelled: step s covers [start + s·step, start + (s+1)·step) on the clock and
    /// its tick runs when that interval ends, where start is the clock's time when this is called.
    /// </summary>
    /// <param name="firstStep">The number of the first step (a restarted daemon may continue its count).</param>
    /// <param name="cancellationToken">Stops the loop between ticks; the returned task then completes without an exception.</param>
    public async Task RunAsync(long firstStep, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstStep);
        long stepNs = _tick.Node.StepNs;
        long start = _clock.GetTimestamp();
        for (long step = firstStep; !cancellationToken.IsCancellationRequested; step++)
        {
            long dueNs = (step - firstStep + 1) * stepNs;
            long nowNs = ElapsedNs(start);
            if (nowNs < dueNs)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromTicks((dueNs - nowNs + 99) / 100), _clock, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                nowNs = ElapsedNs(start);
            }

            long late = Math.Max(0, nowNs - dueNs);
            Interlocked.Exchange(ref _lastLatenessNs, late);
            if (late > Interlocked.Read(ref _maxLatenessNs))
            {
                Interlocked.Exchange(ref _maxLatenessNs, late);
            }

            if (late > stepNs)
            {
                LogLate(step, late / 1_000_000.0);
            }

            _tick.Run(step);
            Interlocked.Increment(ref _ticks);
        }
    }

    private long ElapsedNs(long start) => (long)(_clock.GetElapsedTime(start).Ticks * 100L);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "tick of step {Step} started {LateMs:0.#} ms after its step ended")]
    private partial void LogLate(long step, double lateMs);
}
