using Gpupredict.Interop.Abi;
using Gpupredict.Interop.Control;
using Gpupredict.Interop.SharedMemory;
using Gpupredict.Interop.Tests.SharedMemory;

namespace Gpupredict.Interop.Tests.Control;

public sealed class ControlBlockTests : IDisposable
{
    private readonly TempShmRoot _shm = new();

    public void Dispose() => _shm.Dispose();

    [Fact]
    public void Create_NewBlock_Is128BytesMode0644AndReadsAsAbsent()
    {
        using ControlBlockWriter writer = ControlBlockWriter.Create(_shm.Root, 42, 1000);
        using ControlBlockReader reader = ControlBlockReader.Open(writer.Path);

        ControlBlock? block = reader.TryRead(out ControlBlockReadStatus status);

        Assert.Equal(_shm.File("gpupredict-ctl.42.1000"), writer.Path);
        Assert.Equal((128L, ControlBlockWriter.Mode), (new FileInfo(writer.Path).Length, File.GetUnixFileMode(writer.Path)));
        Assert.Equal((null, ControlBlockReadStatus.BadMagic), (block, status)); // all zero until the first write
    }

    [Fact]
    public void Write_ThenRead_RoundTripsEveryFieldAndStampsTheHeader()
    {
        using ControlBlockWriter writer = ControlBlockWriter.Create(_shm.Root, 42, 1000);
        using ControlBlockReader reader = ControlBlockReader.Open(writer.Path);
        ControlBlock value = Sample(7);

        writer.Write(value);
        ControlBlock read = Assert.NotNull(reader.TryRead());

        Assert.Equal((AbiConstants.ControlMagic, AbiConstants.AbiVersion, (ushort)128, 2u), (read.Magic, read.AbiVersion, read.Size, read.Seq));
        Assert.Equal(
            (value.Flags, value.VramQuotaBytes, value.VirtualTotalBytes, value.PremapTargetBytes, value.PremapFromNs, value.PremapUntilNs, value.SmSharePpm, value.Device, value.UpdatedNs),
            (read.Flags, read.VramQuotaBytes, read.VirtualTotalBytes, read.PremapTargetBytes, read.PremapFromNs, read.PremapUntilNs, read.SmSharePpm, read.Device, read.UpdatedNs));
    }

    [Fact]
    public void Write_Twice_SequenceAdvancesByTwoAndTheLatestWins()
    {
        using ControlBlockWriter writer = ControlBlockWriter.Create(_shm.Root, 42, 1000);
        using ControlBlockReader reader = ControlBlockReader.Open(writer.Path);

        writer.Write(Sample(1));
        writer.Write(Sample(2));

        ControlBlock read = Assert.NotNull(reader.TryRead());
        Assert.Equal((4u, 4u, Sample(2).VramQuotaBytes), (writer.Sequence, read.Seq, read.VramQuotaBytes));
    }

    [Fact]
    public unsafe void TryRead_SeqStuckOdd_ReturnsNullAsUnsettled()
    {
        using ControlBlockWriter writer = ControlBlockWriter.Create(_shm.Root, 42, 1000);
        writer.Write(Sample(1));
        using ControlBlockReader reader = ControlBlockReader.Open(writer.Path);
        Poke(writer.Path, b => b->Seq = 5); // a writer died mid-write

        Assert.Null(reader.TryRead(out ControlBlockReadStatus status, attempts: 8));
        Assert.Equal(ControlBlockReadStatus.Unsettled, status);
    }

    [Theory]
    [InlineData(2, 128, ControlBlockReadStatus.BadVersion)]
    [InlineData(1, 64, ControlBlockReadStatus.BadSize)]
    public unsafe void TryRead_WrongVersionOrSize_ReturnsNullNamingWhich(ushort version, ushort size, ControlBlockReadStatus expected)
    {
        using ControlBlockWriter writer = ControlBlockWriter.Create(_shm.Root, 42, 1000);
        writer.Write(Sample(1));
        using ControlBlockReader reader = ControlBlockReader.Open(writer.Path);
        Poke(writer.Path, b =>
        {
            b->AbiVersion = version;
            b->Size = size;
        });

        Assert.Null(reader.TryRead(out ControlBlockReadStatus status));
        Assert.Equal(expected, status);
    }

    [Fact]
    public unsafe void Create_ExistingBlockLeftOddByADeadWriter_StaysAbsentUntilWrittenThenMovesOn()
    {
        string path;
        using (ControlBlockWriter first = ControlBlockWriter.Create(_shm.Root, 42, 1000))
        {
            first.Write(Sample(1));
            path = first.Path;
        }

        Poke(path, b => b->Seq = 5);
        using ControlBlockWriter second = ControlBlockWriter.Create(path);
        using ControlBlockReader reader = ControlBlockReader.Open(path);

        Assert.Null(reader.TryRead(out ControlBlockReadStatus before, attempts: 4));
        second.Write(Sample(2));
        ControlBlock read = Assert.NotNull(reader.TryRead());
        Assert.Equal((ControlBlockReadStatus.Unsettled, 8u, Sample(2).SmSharePpm), (before, read.Seq, read.SmSharePpm)); // (5 + 1) & ~1 = 6, then 7, 8
    }

    [Fact]
    public void Create_ExistingFileOfAnotherSizeAndMode_IsResizedAndChmodded()
    {
        string path = _shm.File("gpupredict-ctl.42.1000");
        File.WriteAllBytes(path, new byte[4096]);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherWrite);

        using ControlBlockWriter writer = ControlBlockWriter.Create(_shm.Root, 42, 1000);

        Assert.Equal((128L, ControlBlockWriter.Mode), (new FileInfo(path).Length, File.GetUnixFileMode(path)));
    }

    [Fact]
    public void Create_PathIsASymbolicLink_RefusesToFollowIt()
    {
        string victim = _shm.File("victim");
        File.WriteAllText(victim, "precious");
        File.CreateSymbolicLink(_shm.File("gpupredict-ctl.42.1000"), victim);

        var e = Assert.Throws<SharedMemoryException>(() => ControlBlockWriter.Create(_shm.Root, 42, 1000));

        Assert.Equal(40, e.Errno); // ELOOP
        Assert.Equal("precious", File.ReadAllText(victim));
    }

    [Fact]
    public void Remove_Block_UnlinksItAndASecondRemoveIsQuiet()
    {
        ControlBlockWriter writer = ControlBlockWriter.Create(_shm.Root, 42, 1000);
        string path = writer.Path;

        writer.Remove();

        Assert.False(File.Exists(path));
        Assert.False(SharedMemoryFile.Unlink(path));
        Assert.Throws<ObjectDisposedException>(() => writer.Write(Sample(1)));
    }

    [Fact]
    public async Task TryRead_ConcurrentWriter_NeverSeesATornBlock()
    {
        // Every field of Sample(k) derives from k, so a mix of two writes shows up as disagreeing fields.
        using ControlBlockWriter writer = ControlBlockWriter.Create(_shm.Root, 42, 1000);
        writer.Write(Sample(0));
        using ControlBlockReader reader = ControlBlockReader.Open(writer.Path);
        using var stop = new CancellationTokenSource();
        Task writing = Task.Factory.StartNew(
            () =>
            {
                for (uint k = 1; !stop.IsCancellationRequested; k++)
                {
                    writer.Write(Sample(k));
                }
            },
            TaskCreationOptions.LongRunning);

        int settled = 0;
        for (int i = 0; i < 50_000; i++)
        {
            if (reader.TryRead() is { } b)
            {
                settled++;
                if (!IsSample(b))
                {
                    Assert.Fail($"torn read: ppm {b.SmSharePpm}, quota {b.VramQuotaBytes}, until {b.PremapUntilNs}");
                }
            }
        }

        stop.Cancel();
        await writing;
        Assert.True(settled > 0, "no read ever settled");
    }

    private static unsafe ControlBlock Sample(uint k)
    {
        var b = new ControlBlock
        {
            Flags = ControlFlags.EnforceQuota | ControlFlags.Premap,
            VramQuotaBytes = k * 1_000UL,
            VirtualTotalBytes = k * 2_000UL,
            PremapTargetBytes = k * 3_000UL,
            PremapFromNs = k * 4UL,
            PremapUntilNs = k * 5UL,
            SmSharePpm = k,
            Device = (int)(k % 8),
            UpdatedNs = k * 6UL,
        };
        b.Reserved[6] = k;
        return b;
    }

    private static unsafe bool IsSample(ControlBlock b)
    {
        ControlBlock e = Sample(b.SmSharePpm);
        return (b.Flags, b.VramQuotaBytes, b.VirtualTotalBytes, b.PremapTargetBytes, b.PremapFromNs, b.PremapUntilNs, b.Device, b.UpdatedNs, b.Reserved[6])
            == (e.Flags, e.VramQuotaBytes, e.VirtualTotalBytes, e.PremapTargetBytes, e.PremapFromNs, e.PremapUntilNs, e.Device, e.UpdatedNs, e.Reserved[6]);
    }

    private unsafe delegate void Patch(ControlBlock* block);

    /// <summary>Writes into the block behind the writer's back, as a second mapping.</summary>
    private static unsafe void Poke(string path, Patch patch)
    {
        using SharedMemoryFile file = SharedMemoryFile.OpenExisting(path, writable: true);
        using MappedRegion region = file.Map(AbiConstants.ControlSize, writable: true);
        patch((ControlBlock*)region.BaseAddress);
    }
}
