using System.Globalization;
using Gpupredict.Enforcement.Processes;

namespace Gpupredict.Enforcement.Mps;

/// <summary>
/// One command at a time to nvidia-cuda-mps-control, written on its stdin (the control utility
/// forwards it to the running daemon and prints the answer). Each method returns its answer or
/// the reason it has none, naming the command, exit code and stderr.
/// </summary>
internal sealed class MpsControl(IProcessRunner runner, MpsOptions options)
{
    /// <summary>PIDs of the running MPS servers (<c>get_server_list</c>: one per line, none when no server runs).</summary>
    public (IReadOnlyList<int> Pids, string? Error) ServerList() => PidList("get_server_list");

    /// <summary>PIDs of the clients of server <paramref name="server"/> (<c>get_client_list &lt;PID&gt;</c>).</summary>
    public (IReadOnlyList<int> Pids, string? Error) ClientList(int server) => PidList(Invariant($"get_client_list {server}"));

    /// <summary>Sets server <paramref name="server"/>'s percentage for the clients it creates from now on.</summary>
    public string? SetActive(int server, int percent) => Run(Invariant($"set_active_thread_percentage {server} {percent}")).Error;

    /// <summary>Server <paramref name="server"/>'s active-thread percentage.</summary>
    public (double Percent, string? Error) GetActive(int server) => Percent(Invariant($"get_active_thread_percentage {server}"));

    /// <summary>Sets the percentage a server started from now on gets.</summary>
    public string? SetDefault(int percent) => Run(Invariant($"set_default_active_thread_percentage {percent}")).Error;

    /// <summary>The default active-thread percentage.</summary>
    public (double Percent, string? Error) GetDefault() => Percent("get_default_active_thread_percentage");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private (IReadOnlyList<int> Pids, string? Error) PidList(string command)
    {
        (string output, string? error) = Run(command);
        if (error is not null)
        {
            return ([], error);
        }

        var pids = new List<int>();
        foreach (string line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid <= 0)
            {
                return ([], $"'{command}' printed '{line}', not a PID (output: '{output.Trim()}')");
            }

            pids.Add(pid);
        }

        return (pids, null);
    }

    private (double Percent, string? Error) Percent(string command)
    {
        (string output, string? error) = Run(command);
        if (error is not null)
        {
            return (0, error);
        }

        string text = output.Trim();
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double percent) && percent is > 0 and <= 100
            ? (percent, null)
            : (0, $"'{command}' printed '{text}', not a percentage in (0, 100]");
    }

    private (string Output, string? Error) Run(string command)
    {
        Dictionary<string, string?>? environment = options.PipeDirectory is { } pipes
            ? new Dictionary<string, string?>(StringComparer.Ordinal) { ["CUDA_MPS_PIPE_DIRECTORY"] = pipes }
            : null;
        var request = new ProcessRequest(options.Executable, [], command + "\n", environment, options.EffectiveTimeout);
        ProcessResult result = runner.Run(request);
        return (result.StandardOutput, result.Problem(request));
    }
}
