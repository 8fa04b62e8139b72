using Gpupredict.Interop.SharedMemory;

namespace Gpupredict.Interop.Tests.SharedMemory;

public sealed class ShmRootTests
{
    [Fact]
    public void RingPathAndControlPath_ProcessIdentity_ArePrefixPidDotStartTimeUnderTheRoot()
    {
        var root = new ShmRoot("/dev/shm");

        Assert.Equal(
            ("/gpupredict.42.18446744073709551615", "/dev/shm/gpupredict.42.18446744073709551615", "/dev/shm/gpupredict-ctl.42.7"),
            (ShmRoot.RingName(42, ulong.MaxValue), root.RingPath(42, ulong.MaxValue), root.ControlPath(42, 7)));
    }

    [Theory]
    [InlineData("gpupredict.1.2")] // no leading slash
    [InlineData("/a/b")]
    [InlineData("/")]
    [InlineData("/..")]
    [InlineData("/.")]
    public void PathOf_NotAPosixShmName_Throws(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => ShmRoot.Default.PathOf(name));

        Assert.Contains($"'{name}' is not a POSIX shared-memory name", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_RelativeDirectory_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ShmRoot("dev/shm"));
    }

    [Fact]
    public void RingName_PidNotPositive_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ShmRoot.RingName(0, 1));
    }
}
