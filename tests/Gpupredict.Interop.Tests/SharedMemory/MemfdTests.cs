using Gpupredict.Interop.SharedMemory;

namespace Gpupredict.Interop.Tests.SharedMemory;

public sealed unsafe class MemfdTests
{
    [Fact]
    public void Map_TwoMappingsOfOneMemfd_SeeEachOthersStores()
    {
        using Memfd memfd = Memfd.Create("gpupredict-test", 4096);
        using MappedRegion a = memfd.Map(writable: true);
        using MappedRegion b = memfd.Map(writable: false);

        Volatile.Write(ref *(ulong*)a.BaseAddress, 0x0123_4567_89AB_CDEF);

        Assert.Equal(0x0123_4567_89AB_CDEFUL, Volatile.Read(ref *(ulong*)b.BaseAddress));
        Assert.Equal((4096L, 4096L, "memfd:gpupredict-test"), (a.Length, b.Length, b.Path));
    }

    [Fact]
    public void Create_ZeroLength_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Memfd.Create("gpupredict-test", 0));
}
