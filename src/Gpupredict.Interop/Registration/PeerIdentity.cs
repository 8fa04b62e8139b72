using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;
using Gpupredict.Core.Apps;
using Gpupredict.Interop.Processes;

namespace Gpupredict.Interop.Registration;

/// <summary>
/// Who is on the other end of a registration, as the kernel says: pid, uid and gid from
/// SO_PEERCRED at connect time, the rest from <c>/proc/PID</c> read by the daemon. Nothing here
/// comes from what the application wrote on the socket.
/// </summary>
/// <param name="Pid">SO_PEERCRED's pid.</param>
/// <param name="Uid">SO_PEERCRED's effective uid.</param>
/// <param name="Gid">SO_PEERCRED's effective gid.</param>
/// <param name="StartTime"><c>/proc/PID/stat</c> field 22: with the pid, the process's identity on the node.</param>
/// <param name="Identity">What admission matches policy rules on.</param>
public sealed record PeerIdentity(int Pid, uint Uid, uint Gid, ulong StartTime, AppIdentity Identity)
{
    /// <summary>Bytes of <c>/proc/PID/environ</c> read at most; the rest is ignored.</summary>
    public const int MaxEnvironmentBytes = 64 * 1024;

    /// <summary>Variables kept at most.</summary>
    public const int MaxEnvironmentVariables = 512;

    /// <summary>The application's key on the node.</summary>
    public AppId App => new(Pid, StartTime);

    /// <summary>
    /// Reads the process's <c>/proc</c> entries under <paramref name="procRoot"/>; null when its stat
    /// line cannot be read (it exited). Executable, cgroup and environment are null or empty when
    /// unreadable (another user's process to an unprivileged daemon).
    /// </summary>
    public static PeerIdentity? TryRead(string procRoot, int pid, uint uid, uint gid)
    {
        if (pid <= 0 || ProcStat.TryReadStartTime(procRoot, pid) is not { } startTime)
        {
            return null;
        }

        string dir = Path.Join(procRoot, pid.ToString(CultureInfo.InvariantCulture));
        string comm = ReadSmall(Path.Join(dir, "comm"), 64)?.TrimEnd('\n') ?? string.Empty;
        string? exe = null;
        try
        {
            exe = new FileInfo(Path.Join(dir, "exe")).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }

        string? cgroup = null;
        if (ReadSmall(Path.Join(dir, "cgroup"), 4096) is { } cgroups)
        {
            foreach (string line in cgroups.Split('\n'))
            {
                if (line.StartsWith("0::", StringComparison.Ordinal))
                {
                    cgroup = line[3..];
                }
            }
        }

        string? user = null;
        try
        {
            user = UserName(uid);
        }
        catch (IOException)
        {
        }

        var identity = new AppIdentity(comm, exe, uid, gid, user, cgroup, ReadEnvironment(Path.Join(dir, "environ")));
        return new PeerIdentity(pid, uid, gid, startTime, identity);
    }

    private static string? ReadSmall(string path, int max)
    {
        try
        {
            using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.None);
            var buffer = new byte[max];
            int n = 0;
            int r;
            while (n < max && (r = f.Read(buffer, n, max - n)) > 0)
            {
                n += r;
            }

            return Encoding.UTF8.GetString(buffer, 0, n);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static ReadOnlyDictionary<string, string> ReadEnvironment(string path)
    {
        string? text = ReadSmall(path, MaxEnvironmentBytes);
        if (string.IsNullOrEmpty(text))
        {
            return ReadOnlyDictionary<string, string>.Empty;
        }

        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string entry in text.Split('\0'))
        {
            int eq = entry.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && env.Count < MaxEnvironmentVariables)
            {
                env.TryAdd(entry[..eq], entry[(eq + 1)..]);
            }
        }

        return env.AsReadOnly();
    }

    private static string? UserName(uint uid)
    {
        // /etc/passwd rather than getpwuid(3): NSS modules (LDAP, sssd) can block for seconds, and this
        // runs on the registration thread. A user only in a directory service shows as null.
        string? passwd = ReadSmall("/etc/passwd", 1 << 20);
        if (passwd is null)
        {
            return null;
        }

        string wanted = uid.ToString(CultureInfo.InvariantCulture);
        foreach (string line in passwd.Split('\n'))
        {
            string[] f = line.Split(':');
            if (f.Length > 2 && f[2] == wanted)
            {
                return f[0];
            }
        }

        return null;
    }
}
