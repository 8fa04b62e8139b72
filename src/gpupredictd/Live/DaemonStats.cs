using System.Collections.Concurrent;
using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;
using Gpupredict.Core.Pipeline;
using Gpupredict.Core.Planning;

namespace Gpupredict.Daemon.Live;

/// <summary>
/// What the daemon did, for its status file and STATUS= line (and later D-Bus and metrics): counts of
/// admissions, releases, forecasts, grants written and refused, and the grant each application holds.
/// Updated on the tick thread; read from any thread.
/// </summary>
public sealed class DaemonStats(double upperQuantile = 0.99) : ITickObserver
{
    /// <summary>Applications remembered after they exit, at most (the oldest are forgotten).</summary>
    public const int RememberedApplications = 4096;

    private readonly ConcurrentDictionary<AppId, GpuAllocation> _grants = new();
    private readonly ConcurrentDictionary<AppId, AppRow> _rows = new();
    private readonly ConcurrentQueue<AppId> _order = new();
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

    /// <summary>Every application seen (the running ones and the last <see cref="RememberedApplications"/> that exited), oldest first.</summary>
    public IReadOnlyList<AppRow> Applications() => [.. _order.Select(a => _rows.TryGetValue(a, out AppRow? r) ? r : null).OfType<AppRow>()];

    /// <inheritdoc />
    public void OnTick(TickRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Interlocked.Add(ref _admitted, record.Admitted.Length);
        Interlocked.Add(ref _forecasts, record.Requests.Count);
        foreach (AppAdmitted a in record.Admitted)
        {
            _rows[a.App] = new AppRow(a.App, a.Name, a.Terms.Rule, record.Step);
            _order.Enqueue(a.App);
            while (_order.Count > RememberedApplications && _order.TryDequeue(out AppId old))
            {
                _rows.TryRemove(old, out _);
            }
        }

        foreach (PlanRequest r in record.Requests)
        {
            if (_rows.TryGetValue(r.App, out AppRow? row))
            {
                row.Steps++;
                row.PeakVram = Math.Max(row.PeakVram, r.Current.VramBytes);
                row.PeakSm = Math.Max(row.PeakSm, r.Current.SmFraction);
                row.LastForecastVram = r.Forecast.Quantile(0, upperQuantile, Resource.Vram);
                row.LastVram = r.Current.VramBytes;
            }
        }

        foreach (AppId app in record.Released)
        {
            _grants.TryRemove(app, out _);
            Interlocked.Increment(ref _released);
            if (_rows.TryGetValue(app, out AppRow? row))
            {
                row.ReleasedStep = record.Step;
            }
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
            if (_rows.TryGetValue(g.Allocation.App, out AppRow? row))
            {
                row.Grants += g.Result.Changed ? 1 : 0;
                row.LastGrant = g.Allocation;
            }
        }

        Interlocked.Add(ref _errors, record.Errors.Count);
    }
}

/// <summary>What the daemon saw of one application and did for it (updated on the tick thread; read as a snapshot).</summary>
/// <param name="App">The application.</param>
/// <param name="Name">Its name.</param>
/// <param name="Rule">The policy rule that admitted it ("default" when none matched).</param>
/// <param name="AdmittedStep">The step it was admitted in.</param>
public sealed record AppRow(AppId App, string Name, string Rule, long AdmittedStep)
{
    /// <summary>Steps it was planned in.</summary>
    public long Steps { get; set; }

    /// <summary>Grants written to its control block (changes only).</summary>
    public long Grants { get; set; }

    /// <summary>The last grant.</summary>
    public GpuAllocation? LastGrant { get; set; }

    /// <summary>Its largest VRAM in a step, bytes.</summary>
    public double PeakVram { get; set; }

    /// <summary>Its largest SM busy fraction in a step.</summary>
    public double PeakSm { get; set; }

    /// <summary>Its VRAM in the last step planned, bytes.</summary>
    public double LastVram { get; set; }

    /// <summary>The last forecast of its VRAM one step ahead, at the granted (upper) quantile, bytes.</summary>
    public double LastForecastVram { get; set; }

    /// <summary>The step it was released in, or -1 while running.</summary>
    public long ReleasedStep { get; set; } = -1;
}
