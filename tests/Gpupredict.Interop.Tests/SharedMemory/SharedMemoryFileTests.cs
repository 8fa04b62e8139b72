using Gpupredict.Interop.SharedMemory;

namespace Gpupredict.Interop.Tests.SharedMemory;

public sealed unsafe class SharedMemoryFileTests : IDisposable
{
    private readonly TempShmRoot _shm = new();

    public void Dispose() => _shm.Dispose();

    [Fact]
    public void CreateOrOpen_NewObject_HasTheSizeAndExactlyTheModeDespiteTheUmask()
    {
        const UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite; // 0622: umask 022 would strip it
        string path = _shm.File("obj");

        using SharedMemoryFile file = SharedMemoryFile.CreateOrOpen(path, 4096, mode);
        SharedMemoryFileInfo info = file.Stat();

        Assert.Equal((4096L, mode, 1u), (info.Length, info.Mode, info.LinkCount));
        Assert.Equal(mode, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Map_TwoMappingsOfOneObject_SeeEachOthersStores()
    {
        string path = _shm.File("obj");
        using SharedMemoryFile file = SharedMemoryFile.CreateOrOpen(path, 4096, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using MappedRegion a = file.Map(4096, writable: true);
        using SharedMemoryFile again = SharedMemoryFile.OpenExisting(path, writable: false);
        using MappedRegion b = again.Map(8, writable: false);

        Volatile.Write(ref *(ulong*)a.BaseAddress, 0x0123_4567_89AB_CDEF);

        Assert.Equal(0x0123_4567_89AB_CDEFUL, Volatile.Read(ref *(ulong*)b.BaseAddress));
        Assert.Equal((4096L, 8L), (a.Length, b.Length));
    }

    [Fact]
    public void Map_LongerThanTheFile_ThrowsNamingBothSizes()
    {
        string path = _shm.File("obj");
        using SharedMemoryFile file = SharedMemoryFile.CreateOrOpen(path, 100, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var e = Assert.Throws<SharedMemoryException>(() => file.Map(4096, writable: true));

        Assert.Equal($"mmap {path}: the file holds 100 bytes, 4096 are needed", e.Message);
    }

    [Fact]
    public void Read_PastTheEnd_ReturnsWhatTheFileHolds()
    {
        string path = _shm.File("obj");
        File.WriteAllBytes(path, [1, 2, 3]);
        using SharedMemoryFile file = SharedMemoryFile.OpenExisting(path, writable: false);
        byte[] buffer = new byte[8];

        Assert.Equal(2, file.Read(buffer, 1));
        Assert.Equal([2, 3], buffer[..2]);
    }

    [Fact]
    public void Unlink_Missing_ReturnsFalse()
    {
        Assert.False(SharedMemoryFile.Unlink(_shm.File("absent")));
    }
}
