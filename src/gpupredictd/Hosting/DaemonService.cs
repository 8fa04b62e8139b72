using System.Runtime.InteropServices;
using Gpupredict.Core.Pipeline;
using Gpupredict.Daemon.Config;
using Gpupredict.Daemon.Live;
using Gpupredict.Forecasting;
using Gpupredict.Interop.Registration;
using Gpupredict.Manager.Planning;
using Gpupredict.Manager.Policies;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace Gpupredict.Daemon.Hosting;

/// <summary>
/// gpupredictd as a systemd service (Type=notify): starts the <see cref="NodeDaemon"/>, says
/// READY=1 once the registration socket listens and the first tick ran, keeps STATUS= and the status
/// file current, pings WATCHDOG=1 only while ticks progress (a stuck loop lets systemd restart it),
/// reloads the policies on SIGHUP (a bad file is logged with its position and the last good set stays),
/// and on SIGTERM says STOPPING=1 and leaves every control block pass-through before it exits.
/// </summary>
internal sealed partial class DaemonService(
    DaemonConfig config,
    PolicySet policies,
    NodeInventory inventory,
    ForecasterCatalog forecasters,
    PlannerCatalog planners,
    ISystemdNotifier notifier,
    ILoggerFactory loggers) : IHostedService, IDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger("gpupredictd");
    private readonly Lock _reloadLock = new();
    private NodeDaemon? _daemon;
    private Timer? _statusTimer;
    private Timer? _watchdogTimer;
    private PosixSignalRegistration? _sighup;
    private string _protection = string.Empty;
    private long _watchdogTicks = -1;

    /// <summary>What <c>--summary</c> prints, once stopped.</summary>
    public static string? Summary { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        MemfdProtection protection = MemfdProtection.Detect();
        _protection = protection.Describe();
        LogProtection(_protection);
        LogInventory(inventory.Note);
        Warn(policies);
        NodeSpec node = inventory.Node;
        _daemon = new NodeDaemon(config, policies, node, forecasters, planners, loggers, protection.FutureWriteSeal);
        _daemon.Start();
        LogStarted(config.SocketPath, policies.Source, _daemon.Forecaster, node.StepNs / 1_000_000.0);
        _sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            context.Cancel = true; // reload, not terminate
            ThreadPool.QueueUserWorkItem(_ => Reload());
        });
        notifier.Notify(new ServiceState("READY=1"));
        notifier.Notify(new ServiceState("STATUS=" + StatusWriter.Line(_daemon)));
        _statusTimer = new Timer(_ => Status(stopping: false), null, config.StatusInterval, config.StatusInterval);
        if (WatchdogInterval() is { } ping)
        {
            _watchdogTimer = new Timer(_ => Watchdog(), null, TimeSpan.Zero, ping);
        }

        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        notifier.Notify(new ServiceState("STOPPING=1"));
        _sighup?.Dispose();
        _watchdogTimer?.Dispose();
        _statusTimer?.Dispose();
        if (_daemon is not null)
        {
            await _daemon.StopAsync().ConfigureAwait(false);
            Status(stopping: true);
            LogStopped(_daemon.Ticks, _daemon.Server.RegisteredTotal);
            if (inventory.Summary)
            {
                // Printed by the program once the host (and its log queue) has shut down, so log lines do not cut through it.
                var text = new StringWriter();
                SummaryWriter.Write(text, _daemon, inventory.Note);
                Summary = text.ToString();
            }

            await _daemon.DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _sighup?.Dispose();
        _watchdogTimer?.Dispose();
        _statusTimer?.Dispose();
    }

    /// <summary>Reads the policy file again; a bad one is logged and the set in force stays.</summary>
    internal void Reload()
    {
        lock (_reloadLock)
        {
            if (_daemon is null)
            {
                return;
            }

            if (config.Policies is null)
            {
                LogReloadNothing();
                return;
            }

            try
            {
                PolicySet fresh = PolicyLoader.Load(config.Policies, DaemonProgram.SmallestGpu(inventory.Node));
                Warn(fresh);
                _daemon.Reload(fresh);
                LogReloaded(fresh.Source, fresh.Rules.Count);
            }
            catch (Exception e) when (e is PolicyFormatException or ArgumentException)
            {
                LogReloadRejected(e.Message);
            }
        }
    }

    private void Warn(PolicySet set)
    {
        foreach (PolicyWarning w in set.Warnings)
        {
            LogPolicyWarning(w.ToString());
        }
    }

    private static TimeSpan? WatchdogInterval()
    {
        string? usec = Environment.GetEnvironmentVariable("WATCHDOG_USEC");
        return long.TryParse(usec, out long us) && us > 0 ? TimeSpan.FromMicroseconds(us / 2.0) : null;
    }

    private void Watchdog()
    {
        // Only a loop that moved since the last ping is alive: a stuck tick thread stops the pings.
        long ticks = _daemon?.GoodTicks ?? 0;
        if (ticks != Interlocked.Exchange(ref _watchdogTicks, ticks))
        {
            notifier.Notify(new ServiceState("WATCHDOG=1"));
        }
        else
        {
            LogWatchdogWithheld(ticks);
        }
    }

    private void Status(bool stopping)
    {
        if (_daemon is null)
        {
            return;
        }

        if (!stopping)
        {
            notifier.Notify(new ServiceState("STATUS=" + StatusWriter.Line(_daemon)));
        }

        if (config.StatusPath is { } path)
        {
            try
            {
                StatusWriter.Write(path, _daemon, _protection, stopping);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogStatusFailed(path, e.Message);
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "listening on {Socket}; policies {Policies}; forecaster {Forecaster}; step {StepMs} ms")]
    private partial void LogStarted(string socket, string policies, string forecaster, double stepMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "shared memory: {Protection}")]
    private partial void LogProtection(string protection);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "GPUs: {Gpus}")]
    private partial void LogInventory(string gpus);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "stopped after {Ticks} ticks and {Registered} registrations; every control block was left pass-through")]
    private partial void LogStopped(long ticks, long registered);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "reloaded policies from {Source}: {Rules} rules")]
    private partial void LogReloaded(string source, int rules);

    [LoggerMessage(EventId = 11, Level = LogLevel.Error, Message = "policy reload rejected, the last good policies stay in force: {Reason}")]
    private partial void LogReloadRejected(string reason);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "SIGHUP: no policy file is configured; the built-in policy stays")]
    private partial void LogReloadNothing();

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "policy: {Warning}")]
    private partial void LogPolicyWarning(string warning);

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "watchdog ping withheld: no tick since the last one (tick {Ticks})")]
    private partial void LogWatchdogWithheld(long ticks);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "cannot write the status file {Path}: {Reason}")]
    private partial void LogStatusFailed(string path, string reason);
}
