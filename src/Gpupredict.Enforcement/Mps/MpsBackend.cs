using Gpupredict.Core.Allocation;
using Gpupredict.Core.Apps;
using Gpupredict.Core.Enforcement;
using Gpupredict.Core.Planning;
using Gpupredict.Enforcement.Processes;

namespace Gpupredict.Enforcement.Mps;

/// <summary>
/// SM partitions through NVIDIA MPS, by running nvidia-cuda-mps-control with one command on stdin.
/// </summary>
/// <remarks>
/// <para>
/// An MPS client's active-thread percentage is fixed when it creates its CUDA context: <b>clients
/// that already exist keep theirs</b>; what this backend sets applies to contexts created afterwards.
/// So a partition is set where the application's next context will come from:
/// </para>
/// <list type="number">
/// <item>the server the application is already a client of (<c>get_client_list</c> of each server
/// in <c>get_server_list</c>), else the running server of the application's user (MPS runs one
/// server per uid; owners are read from /proc) — with <c>set_active_thread_percentage &lt;server&gt; &lt;pct&gt;</c>,
/// which affects every client that server creates from then on, not only this application's;</item>
/// <item>otherwise the default, <c>set_default_active_thread_percentage &lt;pct&gt;</c>, which the next
/// server started gets (a server already running keeps its own).</item>
/// </list>
/// <para>
/// The value is read back (<c>get_active_thread_percentage</c> / <c>get_default_active_thread_percentage</c>),
/// because a rejected command is not reliably reflected in the utility's exit status. A read-back
/// above the requested value, a missing executable, a non-zero exit, a timeout or output that is
/// not a number fail as values. Percentages are remembered per application; setting the one that
/// is already set changes nothing and runs nothing.
/// </para>
/// </remarks>
public sealed class MpsBackend : IEnforcementBackend
{
    /// <summary>The backend name.</summary>
    public const string BackendName = "mps";

    private readonly MpsControl _control;
    private readonly MpsOptions _options;
    private readonly RequestMemo _memo;
    private readonly Dictionary<AppId, int> _percent = [];

    /// <summary>A backend running the control utility through <paramref name="runner"/>.</summary>
    public MpsBackend(IProcessRunner runner, MpsOptions options, int rememberedRequests = RequestMemo.DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _control = new MpsControl(runner, options);
        _memo = new RequestMemo(rememberedRequests);
    }

    /// <inheritdoc />
    public string Name => BackendName;

    /// <summary>The active-thread percentage last set for <paramref name="app"/>, or null when none was.</summary>
    public int? PercentOf(AppId app)
    {
        lock (_percent)
        {
            return _percent.TryGetValue(app, out int percent) ? percent : null;
        }
    }

    /// <summary>An SM share (0..1) as an MPS percentage: rounded up, then clamped to 1..100.</summary>
    public static int PercentFor(double smShare)
    {
        // The small slack keeps a share like 0.29 (28.999... after binary rounding) from becoming 30.
        double percent = Math.Ceiling((smShare * 100) - 1e-9);
        return (int)Math.Clamp(percent, 1, 100);
    }

    /// <inheritdoc />
    public EnforcementResult Apply(GpuAllocation allocation, string requestId) => _memo.Once(requestId, () =>
        allocation.Validate() is { } problem
            ? EnforcementResult.Failed(requestId, problem)
            : SetPartition(allocation.App, PercentFor(allocation.SmShare), requestId));

    /// <inheritdoc />
    /// <remarks>MPS has nothing to give back: the application's context keeps its share until it exits. Forgets the remembered percentage.</remarks>
    public EnforcementResult Release(AppId app, string requestId) => _memo.Once(requestId, () =>
    {
        lock (_percent)
        {
            _percent.Remove(app);
        }

        return EnforcementResult.Ok(requestId, changed: false);
    });

    /// <inheritdoc />
    public EnforcementResult Execute(SlowAction action, string requestId)
    {
        ArgumentNullException.ThrowIfNull(action);
        return _memo.Once(requestId, () =>
        {
            if (action.Validate() is { } problem)
            {
                return EnforcementResult.Failed(requestId, problem);
            }

            return action.Kind == SlowActionKind.SetMpsPartition
                ? SetPartition(action.App, action.SmPercent, requestId)
                : EnforcementResult.Failed(requestId, $"{action.Kind} is not performed by mps; use the checkpoint backend");
        });
    }

    private EnforcementResult SetPartition(AppId app, int percent, string requestId)
    {
        lock (_percent)
        {
            if (_percent.TryGetValue(app, out int current) && current == percent)
            {
                return EnforcementResult.Ok(requestId, changed: false);
            }

            (int? server, string? error) = ServerOf(app);
            if (error is null)
            {
                error = server is { } pid ? SetOnServer(pid, percent) : SetDefault(percent);
            }

            if (error is not null)
            {
                return EnforcementResult.Failed(requestId, error);
            }

            _percent[app] = percent;
            return EnforcementResult.Ok(requestId, changed: true);
        }
    }

    private (int? Server, string? Error) ServerOf(AppId app)
    {
        (IReadOnlyList<int> servers, string? error) = _control.ServerList();
        if (error is not null)
        {
            return (null, error);
        }

        foreach (int server in servers)
        {
            (IReadOnlyList<int> clients, string? clientError) = _control.ClientList(server);
            if (clientError is not null)
            {
                return (null, clientError);
            }

            if (clients.Contains(app.Pid))
            {
                return (server, null);
            }
        }

        long? owner = ProcOwner.RealUid(_options.ProcRoot, app.Pid);
        int? sameUser = owner is null ? null : servers.Cast<int?>().FirstOrDefault(s => ProcOwner.RealUid(_options.ProcRoot, s!.Value) == owner);
        return (sameUser, null);
    }

    private string? SetOnServer(int server, int percent)
    {
        if (_control.SetActive(server, percent) is { } error)
        {
            return error;
        }

        (double readBack, string? readError) = _control.GetActive(server);
        return readError ?? Check(readBack, percent, $"MPS server {server}");
    }

    private string? SetDefault(int percent)
    {
        if (_control.SetDefault(percent) is { } error)
        {
            return error;
        }

        (double readBack, string? readError) = _control.GetDefault();
        return readError ?? Check(readBack, percent, "the MPS default");
    }

    // MPS may round a percentage down to what the hardware can partition, never up.
    private static string? Check(double readBack, int percent, string what) =>
        readBack <= percent + 0.5 ? null : $"{what} reports {readBack}% after setting {percent}%; the setting did not take";
}
