using System.Runtime.InteropServices;
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
    public void Write_ThenRead_RoundTripsEveryByteAndStampsTheHeader()
    {
        // Byte i of the value is i + 1, header and seq included: whatever fields the block gains,
        // each must come back as written, bar magic, abi_version, size and seq, which the writer sets.
        using ControlBlockWriter writer = ControlBlockWriter.Create(_shm.Root, 42, 1000);
        using ControlBlockReader reader = ControlBlockReader.Open(writer.Path);
        ControlBlock value = default;
        Span<byte> bytes = Bytes(ref value);
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(i + 1);
        }

        writer.Write(value);
        ControlBlock read = Assert.NotNull(reader.TryRead());

        ControlBlock expected = value;
        (expected.Magic, expected.AbiVersion, expected.Size, expected.Seq) = (AbiConstants.ControlMagic, AbiConstants.AbiVersion, 128, 2);
        Assert.Equal(Bytes(ref expected).ToArray(), Bytes(ref read).ToArray());
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
        // Every word of Sample(k) after seq is k, so a mix of two writes shows up as words that disagree.
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
                    Assert.Fail($"torn read: words after seq {string.Join(' ', WordsAfterSeq(ref b).ToArray())}");
                }
            }
        }

        stop.Cancel();
        await writing;
        Assert.True(settled > 0, "no read ever settled");
    }

    /// <summary>A block whose every 32-bit word after seq is <paramref name="k"/>, whatever field it falls in.</summary>
    private static ControlBlock Sample(uint k)
    {
        ControlBlock b = default;
        WordsAfterSeq(ref b).Fill(k);
        return b;
    }

    private static bool IsSample(ControlBlock b)
    {
        Span<uint> words = WordsAfterSeq(ref b);
        return !words.ContainsAnyExcept(words[0]);
    }

    private static Span<byte> Bytes(ref ControlBlock b) => MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref b, 1));

    private static Span<uint> WordsAfterSeq(ref ControlBlock b) =>
        MemoryMarshal.Cast<byte, uint>(Bytes(ref b))[((int)Marshal.OffsetOf<ControlBlock>(nameof(ControlBlock.Seq)) / sizeof(uint) + 1)..];

    private unsafe delegate void Patch(ControlBlock* block);

    /// <summary>Writes into the block behind the writer's back, as a second mapping.</summary>
    private static unsafe void Poke(string path, Patch patch)
    {
        using SharedMemoryFile file = SharedMemoryFile.OpenExisting(path, writable: true);
        using MappedRegion region = file.Map(AbiConstants.ControlSize, writable: true);
        patch((ControlBlock*)region.BaseAddress);
    }
}
