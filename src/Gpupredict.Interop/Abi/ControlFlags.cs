namespace Gpupredict.Interop.Abi;

/// <summary>Bits of <see cref="ControlBlock.Flags"/>. Mirrors <c>enum gp_control_flags</c> in <c>abi.h</c>.</summary>
[Flags]
public enum ControlFlags : uint
{
    /// <summary>No flag: the interposer passes every call through.</summary>
    None = 0,

    /// <summary>Fail allocations beyond <see cref="ControlBlock.VramQuotaBytes"/>.</summary>
    EnforceQuota = 1u << 0,

    /// <summary>Keep <see cref="ControlBlock.PremapTargetBytes"/> mapped ahead of requests.</summary>
    Premap = 1u << 1,

    /// <summary>Throttle launches to <see cref="ControlBlock.SmSharePpm"/> (used without MPS).</summary>
    Throttle = 1u << 2,

    /// <summary>The daemon requests that the application be suspended (checkpointed).</summary>
    SuspendRequested = 1u << 3,
}
