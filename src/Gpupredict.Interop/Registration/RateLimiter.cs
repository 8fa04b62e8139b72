namespace Gpupredict.Interop.Registration;

/// <summary>
/// At most a few log lines a minute per key (a uid): anything an application can trigger goes
/// through one, so a hostile one cannot flood the journal. Single-threaded.
/// </summary>
public sealed class RateLimiter(int linesPerMinute)
{
    private const long WindowNs = 60_000_000_000;
    private readonly Dictionary<uint, (long Start, int Count)> _windows = [];

    /// <summary>True when a line for <paramref name="key"/> may be written at <paramref name="nowNs"/>.</summary>
    public bool Allow(uint key, long nowNs)
    {
        if (!_windows.TryGetValue(key, out (long Start, int Count) w) || nowNs - w.Start >= WindowNs)
        {
            if (_windows.Count > 4096)
            {
                _windows.Clear(); // bounded: forgetting old windows only allows a few more lines
            }

            _windows[key] = (nowNs, 1);
            return true;
        }

        _windows[key] = (w.Start, w.Count + 1);
        return w.Count < linesPerMinute;
    }
}
