using System.Runtime.InteropServices;

namespace Gpupredict.Interop.Abi;

/// <summary>
/// What an application sends when it registers: the managed mirror of <c>struct gp_hello</c> in
/// <c>abi.h</c> (<see cref="AbiConstants.HelloSize"/> = 32 bytes). Untrusted: the daemon takes the
/// peer's identity from the kernel (SO_PEERCRED, /proc), and <see cref="Pid"/> only has to agree with it.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 8)]
public unsafe struct Hello
{
    /// <summary><see cref="AbiConstants.HelloMagic"/>.</summary>
    public uint Magic;

    /// <summary><see cref="AbiConstants.AbiVersion"/>.</summary>
    public ushort AbiVersion;

    /// <summary><see cref="AbiConstants.HelloSize"/>.</summary>
    public ushort Size;

    /// <summary>The sender's pid, in its own words: refused unless SO_PEERCRED says the same.</summary>
    public uint Pid;

    /// <summary>Zero.</summary>
    public uint Flags;

    /// <summary>Zero.</summary>
    public fixed ulong Reserved[2];
}
