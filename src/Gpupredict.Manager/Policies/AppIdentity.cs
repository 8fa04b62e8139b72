namespace Gpupredict.Manager.Policies;

/// <summary>What the daemon knows about a process when it picks the policy that applies to it.</summary>
/// <param name="ProcessName">The process name as the kernel keeps it (<c>comm</c>, at most 15 characters).</param>
/// <param name="Uid">The real user id.</param>
/// <param name="User">The user name for <paramref name="Uid"/>, or null when it cannot be resolved.</param>
/// <param name="Cgroup">The cgroup v2 path (e.g. <c>/slurm/uid_1000/job_42</c>), or null when unknown.</param>
/// <param name="Environment">The process environment, read from <c>/proc/PID/environ</c>; empty when unreadable.</param>
public sealed record AppIdentity(string ProcessName, uint Uid, string? User, string? Cgroup, IReadOnlyDictionary<string, string> Environment);
