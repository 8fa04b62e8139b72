namespace Gpupredict.Interop.Registration;

/// <summary>How the daemon accepts registrations.</summary>
/// <param name="SocketPath">The SOCK_SEQPACKET socket applications connect to.</param>
/// <param name="RingCapacity">Slots of each application's ring (a power of two; 8192 = 1 MiB, which the daemon and the application both keep resident).</param>
/// <param name="MaxApplications">Registered applications at most; beyond, a hello is refused with FULL.</param>
/// <param name="MaxPerUser">Registered applications per uid at most.</param>
/// <param name="MaxPending">Connections waiting for their hello at most (all users); beyond, new ones are closed.</param>
/// <param name="MaxPendingPerUser">Connections waiting for their hello per uid at most: one user's flood cannot starve the others.</param>
/// <param name="HelloTimeout">How long a connection may wait before saying hello.</param>
/// <param name="ProcRoot">Where /proc is (a test may point elsewhere).</param>
/// <param name="WriteSeal">Seal control blocks with F_SEAL_FUTURE_WRITE (when the kernel has it); false forces the read-only-descriptor fallback.</param>
public sealed record RegistrationOptions(
    string SocketPath,
    uint RingCapacity = 8192,
    int MaxApplications = 1024,
    int MaxPerUser = 256,
    int MaxPending = 1024,
    int MaxPendingPerUser = 128,
    TimeSpan? HelloTimeout = null,
    string ProcRoot = "/proc",
    bool WriteSeal = true)
{
    /// <summary>The hello timeout in force (1 s by default).</summary>
    public TimeSpan HelloWait => HelloTimeout ?? TimeSpan.FromSeconds(1);
}
