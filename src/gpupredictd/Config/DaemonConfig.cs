namespace Gpupredict.Daemon.Config;

/// <summary>
/// Everything <c>gpupredictd.yaml</c> sets (docs/daemon.md lists every key). The defaults are the
/// values used with no file at all.
/// </summary>
public sealed record DaemonConfig
{
    /// <summary>The file read by default.</summary>
    public const string DefaultPath = "/etc/gpupredictd/gpupredictd.yaml";

    /// <summary>Where the daemon keeps its socket and status file (<c>runtime_dir</c>).</summary>
    public string RuntimeDirectory { get; init; } = "/run/gpupredictd";

    /// <summary>The registration socket (<c>socket</c>); <c>RUNTIME_DIR/register.sock</c> by default.</summary>
    public string? Socket { get; init; }

    /// <summary>The policy file (<c>policies</c>); the built-in default policy when null.</summary>
    public string? Policies { get; init; }

    /// <summary>The forecaster by name (<c>forecaster</c>).</summary>
    public string Forecaster { get; init; } = "ewma";

    /// <summary>A trained model file (<c>model</c>, from <c>gpupredictctl train</c>) used instead of <see cref="Forecaster"/>; when it cannot be loaded, the daemon says so and uses <see cref="Forecaster"/>.</summary>
    public string? Model { get; init; }

    /// <summary>Steps forecast ahead (<c>horizon</c>).</summary>
    public int Horizon { get; init; } = 10;

    /// <summary>One step (<c>step</c>).</summary>
    public TimeSpan Step { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>The GPUs (<c>gpus</c>): "auto" (NVML) or a declared inventory such as "4 x H100 80GB".</summary>
    public string Gpus { get; init; } = "auto";

    /// <summary>Slots in each application's event ring (<c>ring_slots</c>), a power of two.</summary>
    public uint RingSlots { get; init; } = 8192;

    /// <summary>Events taken from one ring per step at most (<c>max_events_per_step</c>).</summary>
    public int MaxEventsPerStep { get; init; } = 65536;

    /// <summary>Registered applications at most (<c>max_applications</c>).</summary>
    public int MaxApplications { get; init; } = 1024;

    /// <summary>Registered applications per user at most (<c>max_per_user</c>).</summary>
    public int MaxPerUser { get; init; } = 256;

    /// <summary>The status file (<c>status_file</c>); <c>RUNTIME_DIR/status.json</c> by default; "none" for none.</summary>
    public string? StatusFile { get; init; }

    /// <summary>How often the status file and systemd's STATUS= are refreshed (<c>status_interval</c>).</summary>
    public TimeSpan StatusInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long shutdown may take before the daemon exits anyway (<c>shutdown_timeout</c>).</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The file this was read from; null for the defaults.</summary>
    public string? Source { get; init; }

    /// <summary>The socket path in force.</summary>
    public string SocketPath => Socket ?? Path.Join(RuntimeDirectory, "register.sock");

    /// <summary>The status file in force, or null for none.</summary>
    public string? StatusPath => StatusFile is "none" ? null : StatusFile ?? Path.Join(RuntimeDirectory, "status.json");
}
