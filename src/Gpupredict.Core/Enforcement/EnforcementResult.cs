namespace Gpupredict.Core.Enforcement;

/// <summary>The outcome of one enforcement request; errors are values, not exceptions.</summary>
/// <param name="RequestId">The caller's request id (a repeated id is applied once).</param>
/// <param name="Applied">True when the backend now enforces the requested state.</param>
/// <param name="Changed">True when the state differed before (false for a repeat or a no-op).</param>
/// <param name="Error">Why it failed, when <paramref name="Applied"/> is false.</param>
public readonly record struct EnforcementResult(string RequestId, bool Applied, bool Changed, string? Error)
{
    /// <summary>A successful result.</summary>
    public static EnforcementResult Ok(string requestId, bool changed) => new(requestId, true, changed, null);

    /// <summary>A failed result with its reason.</summary>
    public static EnforcementResult Failed(string requestId, string error) => new(requestId, false, false, error);
}
