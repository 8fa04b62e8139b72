using Gpupredict.Core.Apps;

namespace Gpupredict.Manager.Policies;

/// <summary>
/// The conditions of one rule; an application matches when every given condition holds (a null
/// condition and an empty environment are not checked). At least one condition is given.
/// <see cref="Process"/> and <see cref="Environment"/> test what the application set itself; the
/// others test what the kernel reports.
/// </summary>
/// <param name="Process">A glob (<c>*</c>, <c>?</c>) on <see cref="AppIdentity.ProcessName"/>, or null.</param>
/// <param name="Executable">A glob on <see cref="AppIdentity.Executable"/> (<c>*</c> also crosses <c>/</c>), or null.</param>
/// <param name="User">The user name, compared exactly, or null.</param>
/// <param name="Uid">The user id, or null.</param>
/// <param name="Gid">The group id, or null.</param>
/// <param name="Cgroup">A glob on <see cref="AppIdentity.Cgroup"/> (<c>*</c> also crosses <c>/</c>), or null.</param>
/// <param name="Environment">Variables that must be set to exactly these values.</param>
public sealed record RuleMatch(
    string? Process,
    string? Executable,
    string? User,
    uint? Uid,
    uint? Gid,
    string? Cgroup,
    IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>
    /// Whether the match tests anything the kernel reports (<see cref="Executable"/>, <see cref="User"/>,
    /// <see cref="Uid"/>, <see cref="Gid"/> or <see cref="Cgroup"/>); false when it tests only what the
    /// application set itself (<see cref="Process"/>, <see cref="Environment"/>), which any process can claim.
    /// </summary>
    public bool KernelVouched => Executable is not null || User is not null || Uid is not null || Gid is not null || Cgroup is not null;

    /// <summary>True when <paramref name="identity"/> satisfies every given condition.</summary>
    public bool Matches(AppIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (Process is not null && !Glob.IsMatch(Process, identity.ProcessName))
        {
            return false;
        }

        if (Executable is not null && (identity.Executable is null || !Glob.IsMatch(Executable, identity.Executable)))
        {
            return false;
        }

        if (User is not null && !string.Equals(User, identity.User, StringComparison.Ordinal))
        {
            return false;
        }

        if ((Uid is uint uid && uid != identity.Uid) || (Gid is uint gid && gid != identity.Gid))
        {
            return false;
        }

        if (Cgroup is not null && (identity.Cgroup is null || !Glob.IsMatch(Cgroup, identity.Cgroup)))
        {
            return false;
        }

        foreach ((string name, string value) in Environment)
        {
            if (!identity.Environment.TryGetValue(name, out string? actual) || !string.Equals(value, actual, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
