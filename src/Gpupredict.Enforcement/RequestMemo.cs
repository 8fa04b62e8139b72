using Gpupredict.Core.Enforcement;

namespace Gpupredict.Enforcement;

/// <summary>
/// The per-request-id memory every backend needs for <see cref="IEnforcementBackend"/>'s guarantee:
/// the first result of a request id is remembered, and a repeat returns it (with
/// <see cref="EnforcementResult.Changed"/> false) without acting again. Bounded: the oldest ids are
/// forgotten first, beyond <see cref="Capacity"/>. Calls are serialised, so a backend behind it
/// handles one request at a time.
/// </summary>
public sealed class RequestMemo
{
    /// <summary>Request ids remembered by default.</summary>
    public const int DefaultCapacity = 65_536;

    private readonly Dictionary<string, EnforcementResult> _results = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();
    private readonly Lock _gate = new();

    /// <summary>A memo that remembers the last <paramref name="capacity"/> request ids.</summary>
    public RequestMemo(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
    }

    /// <summary>How many request ids are remembered at most.</summary>
    public int Capacity { get; }

    /// <summary>How many request ids are remembered now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _results.Count;
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="act"/> for a new <paramref name="requestId"/> and remembers its result;
    /// for a remembered id returns the first result with Changed = false and runs nothing.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="requestId"/> is null or empty (a caller bug, not an enforcement failure).</exception>
    public EnforcementResult Once(string requestId, Func<EnforcementResult> act)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        ArgumentNullException.ThrowIfNull(act);
        lock (_gate)
        {
            if (_results.TryGetValue(requestId, out EnforcementResult earlier))
            {
                return earlier with { Changed = false };
            }

            EnforcementResult result = act() with { RequestId = requestId };
            _results.Add(requestId, result);
            _order.Enqueue(requestId);
            if (_order.Count > Capacity)
            {
                _results.Remove(_order.Dequeue());
            }

            return result;
        }
    }
}
