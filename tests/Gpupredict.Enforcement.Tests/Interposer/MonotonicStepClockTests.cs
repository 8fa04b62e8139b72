using Gpupredict.Enforcement.Interposer;

namespace Gpupredict.Enforcement.Tests.Interposer;

public sealed class MonotonicStepClockTests
{
    [Fact]
    public void StepStartNs_AnchoredAtConstruction_AddsTenMillisecondsPerStep()
    {
        var time = new ManualTimestamps { Ticks = 5_000_000 }; // 5 s at 1 MHz
        var clock = new MonotonicStepClock(anchorStep: 1000, time: time);

        time.Ticks = 6_000_000;

        Assert.Equal(5_000_000_000UL, clock.StepStartNs(1000));
        Assert.Equal(5_010_000_000UL, clock.StepStartNs(1001));
        Assert.Equal(4_990_000_000UL, clock.StepStartNs(999));
        Assert.Equal(0UL, clock.StepStartNs(-1_000_000)); // before boot: saturates at 0
        Assert.Equal(6_000_000_000UL, clock.NowNs());
    }

    [Fact]
    public void NowNs_SystemClock_IsMonotonicAndPositive()
    {
        var clock = new MonotonicStepClock(0);

        ulong first = clock.NowNs();
        ulong second = clock.NowNs();

        Assert.True(first > 0 && second >= first, $"{first} then {second}");
    }

    private sealed class ManualTimestamps : TimeProvider
    {
        public long Ticks { get; set; }

        public override long TimestampFrequency => 1_000_000;

        public override long GetTimestamp() => Ticks;
    }
}
