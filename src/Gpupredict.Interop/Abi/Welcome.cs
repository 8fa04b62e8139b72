using System.Runtime.InteropServices;

namespace Gpupredict.Interop.Abi;

/// <summary>
/// The daemon's answer to a <see cref="Hello"/>: the managed mirror of <c>struct gp_welcome</c> in
/// <c>abi.h</c> (<see cref="AbiConstants.WelcomeSize"/> = 48 bytes). With
/// <see cref="WelcomeStatus.Ok"/> it carries two descriptors (SCM_RIGHTS): the ring, then the control block.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 8)]
public struct Welcome
{
    /// <summary><see cref="AbiConstants.WelcomeMagic"/>.</summary>
    public uint Magic;

    /// <summary><see cref="AbiConstants.AbiVersion"/>.</summary>
    public ushort AbiVersion;

    /// <summary><see cref="AbiConstants.WelcomeSize"/>.</summary>
    public ushort Size;

    /// <summary>Accepted, or why not.</summary>
    public WelcomeStatus Status;

    /// <summary>Slots in the ring, a power of two.</summary>
    public uint RingCapacity;

    /// <summary>Bytes of the ring memfd: header plus slots.</summary>
    public ulong RingBytes;

    /// <summary>Bytes of the control-block memfd.</summary>
    public ulong ControlBytes;

    /// <summary>The peer's start time as the daemon read it from /proc (clock ticks since boot).</summary>
    public ulong StartTime;

    /// <summary>Zero.</summary>
    public ulong Reserved;
}
