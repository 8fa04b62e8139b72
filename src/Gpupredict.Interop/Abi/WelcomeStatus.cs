namespace Gpupredict.Interop.Abi;

/// <summary>Why a registration was refused, or <see cref="Ok"/>. Mirrors <c>enum gp_welcome_status</c> in <c>abi.h</c>.</summary>
public enum WelcomeStatus : uint
{
    /// <summary>Registered: the ring and the control block come with the welcome.</summary>
    Ok = 0,

    /// <summary>The hello had the wrong magic, version or size.</summary>
    BadHello = 1,

    /// <summary>The hello's pid is not the peer's (SO_PEERCRED).</summary>
    PidMismatch = 2,

    /// <summary>This process already has a live registration.</summary>
    AlreadyRegistered = 3,

    /// <summary>The daemon's application limit or per-user limit is reached.</summary>
    Full = 4,

    /// <summary>The peer's /proc entry could not be read (it exited, or /proc is hidden).</summary>
    UnknownPeer = 5,

    /// <summary>The daemon could not create the shared memory.</summary>
    Internal = 6,
}
