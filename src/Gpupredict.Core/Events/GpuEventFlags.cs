namespace Gpupredict.Core.Events;

/// <summary>Bits of <see cref="GpuEvent.Flags"/>. Mirrors <c>enum gp_event_flags</c> in <c>abi.h</c>.</summary>
[Flags]
public enum GpuEventFlags : ushort
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>The call was stream-ordered.</summary>
    Async = 1 << 0,

    /// <summary>[TimestampNs, EndNs) is a GPU execution interval (CUPTI, profiler).</summary>
    GpuTime = 1 << 1,

    /// <summary>The interval was estimated from launch/sync timing.</summary>
    Estimated = 1 << 2,

    /// <summary>The call returned an error (see <see cref="GpuEvent.Result"/>).</summary>
    Failed = 1 << 3,

    /// <summary>An allocation served from pre-mapped memory.</summary>
    Premapped = 1 << 4,

    /// <summary>An allocation refused by the VRAM quota.</summary>
    Denied = 1 << 5,

    /// <summary>A cooperative launch.</summary>
    Cooperative = 1 << 6,
}
