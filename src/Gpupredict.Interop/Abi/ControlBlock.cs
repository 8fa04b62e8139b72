using System.Runtime.InteropServices;

namespace Gpupredict.Interop.Abi;

/// <summary>
/// An application's virtual GPU, written by the daemon and read by the interposer: the managed
/// mirror of <c>struct gp_control_block</c> in <c>native/include/gpupredict/abi.h</c>
/// (<see cref="AbiConstants.ControlSize"/> = 128 bytes). Written under a sequence lock: make
/// <see cref="Seq"/> odd, write the fields, make it even. Limits of 0 mean "no limit".
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 8)]
public unsafe struct ControlBlock
{
    /// <summary><see cref="AbiConstants.ControlMagic"/>.</summary>
    public uint Magic;

    /// <summary><see cref="AbiConstants.AbiVersion"/>.</summary>
    public ushort AbiVersion;

    /// <summary>Bytes of this block, <see cref="AbiConstants.ControlSize"/>.</summary>
    public ushort Size;

    /// <summary>Sequence lock: even = stable, odd = a write is in progress.</summary>
    public uint Seq;

    /// <summary>Which limits the interposer enforces.</summary>
    public ControlFlags Flags;

    /// <summary>Bytes of device memory the application may hold; allocations beyond fail with OUT_OF_MEMORY. 0 = no limit.</summary>
    public ulong VramQuotaBytes;

    /// <summary>Bytes reported as total device memory by cuDeviceTotalMem / cuMemGetInfo.</summary>
    public ulong VirtualTotalBytes;

    /// <summary>Bytes to keep mapped ahead of requests, in the window <see cref="PremapFromNs"/> to <see cref="PremapUntilNs"/>.</summary>
    public ulong PremapTargetBytes;

    /// <summary>Start of the pre-map window, CLOCK_MONOTONIC ns.</summary>
    public ulong PremapFromNs;

    /// <summary>End of the pre-map window, CLOCK_MONOTONIC ns.</summary>
    public ulong PremapUntilNs;

    /// <summary>Launch-throttle share of the GPU's SMs in parts per million (1 000 000 = the whole GPU), used without MPS.</summary>
    public uint SmSharePpm;

    /// <summary>Ordinal of the physical device backing the virtual GPU; -1 = any.</summary>
    public int Device;

    /// <summary>When the daemon last wrote the block, CLOCK_MONOTONIC ns.</summary>
    public ulong UpdatedNs;

    /// <summary>Reserved; zero.</summary>
    public fixed ulong Reserved[7];

    /// <summary>
    /// True when <paramref name="other"/> holds the same limits: every field <c>abi.h</c> lists as a
    /// LIMIT (<c>GP_CONTROL_FIELDS_BY_ROLE</c>), what the interposer enforces, here <see cref="Flags"/>
    /// to <see cref="Device"/>. The header, <see cref="UpdatedNs"/> and the reserved words do not
    /// count: two blocks that differ only there enforce the same thing. A test holds this to the
    /// native list, so a limit added there fails until it is compared here.
    /// </summary>
    public readonly bool SameLimits(in ControlBlock other) =>
        Flags == other.Flags
        && VramQuotaBytes == other.VramQuotaBytes
        && VirtualTotalBytes == other.VirtualTotalBytes
        && PremapTargetBytes == other.PremapTargetBytes
        && PremapFromNs == other.PremapFromNs
        && PremapUntilNs == other.PremapUntilNs
        && SmSharePpm == other.SmSharePpm
        && Device == other.Device;

    /// <summary>
    /// The block that constrains nothing: no flags, no limits, any device. What the daemon leaves an
    /// application it releases or, at shutdown, every application: the interposer passes its calls
    /// through and drains its pool as the window lapses.
    /// </summary>
    /// <param name="updatedNs">When it is written, CLOCK_MONOTONIC ns.</param>
    public static ControlBlock PassThrough(ulong updatedNs) => new() { Flags = ControlFlags.None, Device = -1, UpdatedNs = updatedNs };
}
