using System.Collections.Concurrent;
using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Pipeline;

namespace Gpupredict.Daemon.Live;

/// <summary>
/// What the daemon did, for its status file and STATUS= line (and later D-Bus and metrics): counts of
/// admissions, releases, forecasts, grants written and refused, and the grant each application holds.
/// Updated on the tick thread; read from any thread.
/// </summary>
public sealed class DaemonStats : ITickObserver
{
    private readonly ConcurrentDictionary<AppId, GpuAllocation> _grants = new();
    private long _admitted;
    private long _released;
    private long _forecasts;
    private long _grantsWritten;
    private long _grantsUnchanged;
    private long _grantsFailed;
    private long _errors;

    /// <summary>Applications admitted since start.</summary>
    public long Admitted => Interlocked.Read(ref _admitted);

    /// <summary>Applications released since start.</summary>
    public long Released => Interlocked.Read(ref _released);

    /// <summary>Per-application forecasts made since start.</summary>
    public long Forecasts => Interlocked.Read(ref _forecasts);

    /// <summary>Grants that changed a control block.</summary>
    public long GrantsWritten => Interlocked.Read(ref _grantsWritten);

    /// <summary>Grants equal to the block in force (nothing written).</summary>
    public long GrantsUnchanged => Interlocked.Read(ref _grantsUnchanged);

    /// <summary>Grants the backend could not apply.</summary>
    public long GrantsFailed => Interlocked.Read(ref _grantsFailed);

    /// <summary>Errors the ticks reported.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>The grant each running application holds.</summary>
    public IReadOnlyDictionary<AppId, GpuAllocation> Grants => _grants;

    /// <inheritdoc />
    public void OnTick(TickRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Interlocked.Add(ref _admitted, record.Admitted.Length);
        Interlocked.Add(ref _forecasts, record.Requests.Count);
        foreach (AppId app in record.Released)
        {
            _grants.TryRemove(app, out _);
            Interlocked.Increment(ref _released);
        }

        foreach (GrantApplied g in record.Grants)
        {
            if (!g.Result.Applied)
            {
                Interlocked.Increment(ref _grantsFailed);
                continue;
            }

            Interlocked.Increment(ref g.Result.Changed ? ref _grantsWritten : ref _grantsUnchanged);
            _grants[g.Allocation.App] = g.Allocation;
        }

        Interlocked.Add(ref _errors, record.Errors.Count);
    }
}
