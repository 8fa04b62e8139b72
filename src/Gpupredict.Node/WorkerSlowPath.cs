using System.Collections.Concurrent;
using System.Threading.Channels;
using Gpupredict.Core.Enforcement;
using Gpupredict.Core.Pipeline;
using Gpupredict.Core.Planning;

namespace Gpupredict.Node;

/// <summary>
/// The slow path of a live node: actions run one at a time, in submission order, on a worker of
/// their own (a checkpoint can take seconds; the 10 ms tick must not wait for it), and their
/// completions wait for the tick to drain them. A backend that throws is turned into a failed
/// completion, never into a dead worker. Dispose stops taking actions and waits for the one running.
/// </summary>
public sealed class WorkerSlowPath : ISlowPath, IAsyncDisposable
{
    private readonly IEnforcementBackend _backend;
    private readonly Channel<(SlowAction Action, long Step, string RequestId)> _queue =
        Channel.CreateUnbounded<(SlowAction, long, string)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    private readonly ConcurrentQueue<SlowCompletion> _done = new();
    private readonly Task _worker;
    private int _pending;

    /// <summary>Starts the worker over <paramref name="backend"/>.</summary>
    public WorkerSlowPath(IEnforcementBackend backend)
    {
        _backend = backend ?? throw new ArgumentNullException(nameof(backend));
        _worker = Task.Run(WorkAsync);
    }

    /// <inheritdoc />
    public string Name => "worker";

    /// <inheritdoc />
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>Raised on the worker after each completion is queued (a host can wake the tick early).</summary>
    public event Action? Completed;

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The slow path was disposed.</exception>
    public void Submit(SlowAction action, long step, string requestId)
    {
        ArgumentNullException.ThrowIfNull(action);
        Interlocked.Increment(ref _pending);
        if (!_queue.Writer.TryWrite((action, step, requestId)))
        {
            Interlocked.Decrement(ref _pending);
            throw new InvalidOperationException("the slow path is stopped");
        }
    }

    /// <inheritdoc />
    public int Drain(List<SlowCompletion> completions)
    {
        ArgumentNullException.ThrowIfNull(completions);
        int n = 0;
        while (_done.TryDequeue(out SlowCompletion c))
        {
            completions.Add(c);
            Interlocked.Decrement(ref _pending);
            n++;
        }

        return n;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _worker.ConfigureAwait(false);
    }

    private async Task WorkAsync()
    {
        await foreach ((SlowAction action, long step, string requestId) in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            EnforcementResult result;
            try
            {
                result = _backend.Execute(action, requestId);
            }
#pragma warning disable CA1031 // A backend bug must become a failed action, not a dead slow path.
            catch (Exception e)
#pragma warning restore CA1031
            {
                result = EnforcementResult.Failed(requestId, $"{_backend.Name} threw {e.GetType().Name}: {e.Message}");
            }

            _done.Enqueue(new SlowCompletion(action, step, result));
            Completed?.Invoke();
        }
    }
}
