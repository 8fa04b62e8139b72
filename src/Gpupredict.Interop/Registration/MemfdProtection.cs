using Gpupredict.Interop.SharedMemory;

namespace Gpupredict.Interop.Registration;

/// <summary>
/// What this kernel lets the daemon seal, found once at start by sealing a probe memfd: the size seals
/// (a ring that cannot shrink under its reader: no SIGBUS) and F_SEAL_FUTURE_WRITE (Linux 5.1; a
/// control block the application can map read-only only). RHEL 8's 4.18 lacks the second; sandboxed
/// kernels (gVisor) may refuse either.
/// </summary>
/// <param name="SizeSeals">F_SEAL_SHRINK and F_SEAL_GROW work.</param>
/// <param name="FutureWriteSeal">F_SEAL_FUTURE_WRITE works.</param>
public sealed record MemfdProtection(bool SizeSeals, bool FutureWriteSeal)
{
    /// <summary>Probes the running kernel.</summary>
    public static MemfdProtection Detect()
    {
        bool size;
        bool futureWrite;
        using (Memfd probe = Memfd.Create("gpupredictd-probe", 4096))
        {
            size = probe.TryAddSeals(MemfdSeals.Shrink | MemfdSeals.Grow, out _);
        }

        using (Memfd probe = Memfd.Create("gpupredictd-probe", 4096))
        {
            futureWrite = probe.TryAddSeals(MemfdSeals.FutureWrite, out _);
        }

        return new MemfdProtection(size, futureWrite);
    }

    /// <summary>One line for the journal: what protects the daemon and the applications' control blocks.</summary>
    public string Describe() =>
        (SizeSeals
            ? "rings sealed against resizing (no SIGBUS)"
            : "rings NOT sealable: each is checked for truncation before every drain (a narrow window remains)")
        + "; "
        + (FutureWriteSeal
            ? "control blocks sealed with F_SEAL_FUTURE_WRITE (applications can map them read-only only)"
            : "F_SEAL_FUTURE_WRITE unavailable: applications get a read-only descriptor of a mode-0400 block (another user's process cannot reopen it for writing; every value is validated as untrusted by the interposer)");
}
