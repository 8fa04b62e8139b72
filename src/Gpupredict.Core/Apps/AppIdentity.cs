using System.Collections.ObjectModel;

namespace Gpupredict.Core.Apps;

/// <summary>
/// What the daemon knows about a process when it picks the policy that applies to it. Every field
/// but <see cref="ProcessName"/> and <see cref="Environment"/> comes from the kernel; those two the
/// application sets itself (<c>prctl(PR_SET_NAME)</c>, <c>execve</c>'s envp), so they say what the
/// application claims to be, not who started it.
/// </summary>
/// <param name="ProcessName">The process name as the kernel keeps it (<c>comm</c>, at most 15 characters).</param>
/// <param name="Executable">The absolute path of the executable (<c>/proc/PID/exe</c>), or null when unknown (a recorded trace).</param>
/// <param name="Uid">The user id the kernel reports: <c>SO_PEERCRED</c>'s, the effective uid when the application connected.</param>
/// <param name="Gid">The group id the kernel reports: <c>SO_PEERCRED</c>'s, the effective gid when the application connected (not the supplementary groups).</param>
/// <param name="User">The user name for <paramref name="Uid"/>, or null when it cannot be resolved.</param>
/// <param name="Cgroup">The cgroup v2 path (e.g. <c>/slurm/uid_1000/job_42</c>, from <c>/proc/PID/cgroup</c>), or null when unknown.</param>
/// <param name="Environment">The process environment, read from <c>/proc/PID/environ</c>; empty when unreadable.</param>
public sealed record AppIdentity(
    string ProcessName,
    string? Executable,
    uint Uid,
    uint Gid,
    string? User,
    string? Cgroup,
    IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>
    /// A process of a recorded trace: only its name is known; uid and gid are 0 and there is no
    /// executable, user, cgroup or environment, so only rules on <c>process</c> (or on uid/gid 0) match it.
    /// </summary>
    /// <param name="processName">The name the trace gives the process.</param>
    public static AppIdentity Recorded(string processName)
    {
        ArgumentNullException.ThrowIfNull(processName);
        return new AppIdentity(processName, null, 0, 0, null, null, ReadOnlyDictionary<string, string>.Empty);
    }
}
