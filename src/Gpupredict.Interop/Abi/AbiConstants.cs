using Gpupredict.Core.Events;

namespace Gpupredict.Interop.Abi;

/// <summary>
/// The constants of <c>native/include/gpupredict/abi.h</c> (its <c>GP_ABI_CONSTANTS</c> list), one
/// member per macro: <c>GP_RING_MAGIC</c> is <see cref="RingMagic"/>. A test compares every value
/// with what the C compiler reports.
/// </summary>
public static class AbiConstants
{
    /// <summary><c>GP_ABI_VERSION</c>: readers refuse a ring or control block of another version.</summary>
    public const ushort AbiVersion = 1;

    /// <summary><c>GP_RING_MAGIC</c>: "GPRB" as a little-endian u32, the first 4 bytes of a ring.</summary>
    public const uint RingMagic = 0x42525047;

    /// <summary><c>GP_CONTROL_MAGIC</c>: "GPCB" as a little-endian u32, the first 4 bytes of a control block.</summary>
    public const uint ControlMagic = 0x42435047;

    /// <summary><c>GP_EVENT_SIZE</c>: bytes of one <see cref="GpuEvent"/>.</summary>
    public const int EventSize = GpuEvent.SizeBytes;

    /// <summary><c>GP_RING_HEADER_SIZE</c>: bytes of <see cref="RingHeader"/>; the first slot starts here.</summary>
    public const int RingHeaderSize = 256;

    /// <summary><c>GP_RING_SLOT_SIZE</c>: bytes of one <see cref="RingSlot"/>, the ring's stride.</summary>
    public const int RingSlotSize = 128;

    /// <summary><c>GP_CONTROL_SIZE</c>: bytes of <see cref="ControlBlock"/>.</summary>
    public const int ControlSize = 128;

    /// <summary><c>GP_HELLO_MAGIC</c>: "GPHL", the first 4 bytes of a <see cref="Hello"/>.</summary>
    public const uint HelloMagic = 0x4c485047;

    /// <summary><c>GP_WELCOME_MAGIC</c>: "GPWL", the first 4 bytes of a <see cref="Welcome"/>.</summary>
    public const uint WelcomeMagic = 0x4c575047;

    /// <summary><c>GP_HELLO_SIZE</c>: bytes of <see cref="Hello"/>.</summary>
    public const int HelloSize = 32;

    /// <summary><c>GP_WELCOME_SIZE</c>: bytes of <see cref="Welcome"/>.</summary>
    public const int WelcomeSize = 48;

    /// <summary><c>GP_REGISTER_SOCKET</c>: where the daemon listens for registrations by default.</summary>
    public const string RegisterSocket = "/run/gpupredictd/register.sock";
}
