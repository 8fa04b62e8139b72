using Gpupredict.Core.Pipeline;
using Gpupredict.Core.Planning;
using Gpupredict.Daemon.Config;
using Gpupredict.Forecasting;
using Gpupredict.Interop.Nvml;
using Gpupredict.Manager.Planning;
using Gpupredict.Manager.Policies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace Gpupredict.Daemon.Hosting;

/// <summary>The command line, after parsing.</summary>
internal sealed record DaemonArguments(string? Config, string? RuntimeDirectory, string? Gpus, bool Check, bool Summary = false);

/// <summary>The node's GPUs and step, and where the GPUs came from (NVML, declared, or the fallback), said at start.</summary>
internal sealed record NodeInventory(NodeSpec Node, string Note, bool Summary = false);

/// <summary>
/// Loads and validates everything before anything runs (configuration, policies, GPU inventory,
/// forecaster), then runs the host. A bad input is one message on stderr and exit status 2.
/// </summary>
internal static class DaemonProgram
{
    /// <summary>Exit status for a configuration, policy or inventory the daemon cannot use.</summary>
    public const int BadInput = 2;

    /// <summary>The bandwidth assumed for a GPU model the data-sheet table does not know: an H100 SXM's.</summary>
    private const double UnknownModelBandwidth = 3.35e12;

    public static async Task<int> RunAsync(DaemonArguments args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        DaemonConfig config;
        PolicySet policies;
        NodeSpec node;
        string inventoryNote;
        try
        {
            config = DaemonConfigLoader.Load(args.Config ?? DaemonConfig.DefaultPath, optional: args.Config is null);
            if (args.RuntimeDirectory is { } dir)
            {
                config = config with { RuntimeDirectory = Path.GetFullPath(dir) };
            }

            if (args.Gpus is { } g)
            {
                config = config with { Gpus = g };
            }

            (node, inventoryNote) = Inventory(config);
            policies = config.Policies is null ? PolicySet.BuiltIn : PolicyLoader.Load(config.Policies, SmallestGpu(node));
            if (!Forecasters.Catalog.ForecastingNames.Contains(config.Forecaster, StringComparer.Ordinal))
            {
                throw new ConfigFormatException(config.Source ?? "(defaults)", 0, 0, "forecaster", $"one of {string.Join(", ", Forecasters.Catalog.ForecastingNames)}", $"'{config.Forecaster}'");
            }
        }
        catch (Exception e) when (e is ConfigFormatException or PolicyFormatException or DeclaredInventoryException)
        {
            await stderr.WriteLineAsync("gpupredictd: " + e.Message).ConfigureAwait(false);
            return BadInput;
        }

        if (args.Check)
        {
            await stdout.WriteLineAsync($"configuration: {config.Source ?? "built-in defaults"}").ConfigureAwait(false);
            await stdout.WriteLineAsync($"policies: {policies.Source} ({policies.Rules.Count} rules)").ConfigureAwait(false);
            await stdout.WriteLineAsync($"GPUs: {inventoryNote}").ConfigureAwait(false);
            await stdout.WriteLineAsync($"socket: {config.SocketPath}").ConfigureAwait(false);
            await stdout.WriteLineAsync($"forecaster: {config.Forecaster}, horizon {config.Horizon} steps of {config.Step.TotalMilliseconds} ms").ConfigureAwait(false);
            return 0;
        }

        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "gpupredictd" });
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        if (SystemdHelpers.IsSystemdService() || Environment.GetEnvironmentVariable("JOURNAL_STREAM") is not null)
        {
            builder.Logging.AddSystemdConsole(); // "<6>category[id] message": journald reads the priority
        }
        else
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
        }

        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);

        // Admissions and releases (events 101, 102) happen once per process an application starts: any
        // user can make them as often as they fork. The registration line (501, rate-limited per uid)
        // says who joined; each application's rule is in the status file.
        builder.Logging.AddFilter("Gpupredict.Node.NodeTick", LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = config.ShutdownTimeout + TimeSpan.FromSeconds(1));
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(policies);
        builder.Services.AddSingleton(new NodeInventory(node, inventoryNote, args.Summary));
        builder.Services.AddSingleton(Forecasters.Catalog);
        builder.Services.AddSingleton(Planners.Catalog);
        builder.Services.AddSingleton<ISystemdNotifier, SystemdNotifier>();
        builder.Services.AddHostedService<DaemonService>();
        using IHost host = builder.Build();
        try
        {
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await stderr.WriteLineAsync("gpupredictd: " + e.Message).ConfigureAwait(false);
            return 1;
        }

        if (DaemonService.Summary is { } summary)
        {
            await stdout.WriteAsync(summary).ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>The memory of the node's smallest GPU: a policy's reserve must leave some of every GPU.</summary>
    public static ulong SmallestGpu(NodeSpec node) => (ulong)node.Gpus.Min(g => g.Capacity.VramBytes);

    /// <summary>The node's GPUs: NVML's when <c>gpus: auto</c> and NVML loads; else the declared inventory; else one simulated H100 (said at start).</summary>
    private static (NodeSpec Node, string Note) Inventory(DaemonConfig config)
    {
        long stepNs = (long)config.Step.TotalNanoseconds;
        GpuInventory inventory;
        string note;
        if (config.Gpus == "auto")
        {
            NvmlOpenResult nvml = NvmlInventory.Open();
            if (nvml.IsAvailable)
            {
                using NvmlInventory n = nvml.Inventory!;
                inventory = n.Read();
                note = $"{inventory.Gpus.Length} from NVML (driver {n.DriverVersion}): {string.Join(", ", inventory.Gpus.Select(g => g.Name))}";
            }
            else
            {
                inventory = DeclaredGpuInventory.Parse("1 x H100 80GB");
                note = $"{nvml.Reason}; running on 1 x H100 80GB, simulated: declare the node's GPUs with gpus: in the configuration";
            }
        }
        else
        {
            inventory = DeclaredGpuInventory.Parse(config.Gpus);
            note = $"{config.Gpus}, declared (simulated: nothing checks them against hardware)";
        }

        IReadOnlyList<GpuCapacity> gpus = GpuInventoryCapacity.ToCapacities(inventory, UnknownModelBandwidth);
        return (new NodeSpec(gpus, stepNs), note);
    }
}
