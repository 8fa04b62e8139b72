using Gpupredict.Enforcement.Interposer;

namespace Gpupredict.Enforcement.Tests.Support;

/// <summary>Step s begins at 1 s + s × 10 ms; now is always <see cref="Now"/>.</summary>
internal sealed class FixedStepClock : IStepClock
{
    public const ulong Now = 123_456_789;

    public ulong StepStartNs(long step) => 1_000_000_000UL + ((ulong)step * 10_000_000UL);

    public ulong NowNs() => Now;
}
