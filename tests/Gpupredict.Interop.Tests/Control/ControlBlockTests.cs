using System.Runtime.InteropServices;
using Gpupredict.Interop.Abi;
using Gpupredict.Interop.Control;
using Gpupredict.Interop.SharedMemory;

namespace Gpupredict.Interop.Tests.Control;

public sealed class ControlBlockTests
{
    [Fact]
    public void CreateOwned_NewBlock_Is128BytesAndReadsAsAbsent()
    {
        using ControlBlockWriter writer = ControlBlockWriter.CreateOwned(42);
        using ControlBlockReader reader = ControlBlockReader.Open(writer.Memfd);

        ControlBlock? block = reader.TryRead(out ControlBlockReadStatus status);

        Assert.Equal(("memfd:gpupredict-control.42", 128L, 0u), (writer.Path, writer.Memfd.Length, writer.Sequence));
        Assert.Equal((null, ControlBlockReadStatus.BadMagic), (block, status)); // all zero until the first write
    }

    [Fact]
    public void CreateOwned_WriteSealed_RefusesAnyNewWritableMapping()
    {
        using ControlBlockWriter writer = ControlBlockWriter.CreateOwned(42);

        Assert.Equal(MemfdSeals.FutureWrite, writer.WriteProtection);
        Assert.Equal(MemfdSeals.Seal | MemfdSeals.Shrink | MemfdSeals.Grow | MemfdSeals.FutureWrite, writer.Memfd.Seals);
        var e = Assert.Throws<SharedMemoryException>(() => writer.Memfd.Map(writable: true));
        Assert.Equal(1, e.Errno); // EPERM
    }

    [Fact]
    public void CreateOwned_WithoutTheWriteSeal_IsSizeSealedAndMode0400()
    {
        using ControlBlockWriter writer = ControlBlockWriter.CreateOwned(42, writeSeal: false);

        Assert.Equal(MemfdSeals.None, writer.WriteProtection);
        Assert.Equal(MemfdSeals.Seal | MemfdSeals.Shrink | MemfdSeals.Grow, writer.Memfd.Seals);
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode($"/proc/self/fd/{writer.Memfd.Descriptor}"));
    }

    [Fact]
    public void Write_ThenRead_RoundTripsEveryByteAndStampsTheHeader()
    {
        // Byte i of the value is i + 1, header and seq included: whatever fields the block gains,
        // each must come back as written, bar magic, abi_version, size and seq, which the writer sets.
        using ControlBlockWriter writer = ControlBlockWriter.CreateOwned(42);
        using ControlBlockReader reader = ControlBlockReader.Open(writer.Memfd);
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
        using ControlBlockWriter writer = ControlBlockWriter.CreateOwned(42);
        using ControlBlockReader reader = ControlBlockReader.Open(writer.Memfd);

        writer.Write(Sample(1));
        writer.Write(Sample(2));

        ControlBlock read = Assert.NotNull(reader.TryRead());
        Assert.Equal((4u, 4u, Sample(2).VramQuotaBytes), (writer.Sequence, read.Seq, read.VramQuotaBytes));
    }

    [Fact]
    public unsafe void TryRead_SeqStuckOdd_ReturnsNullAsUnsettled()
    {
        using ControlBlockWriter writer = ControlBlockWriter.CreateOwned(42, writeSeal: false); // a second writable mapping for Poke
        writer.Write(Sample(1));
        using ControlBlockReader reader = ControlBlockReader.Open(writer.Memfd);
        Poke(writer, b => b->Seq = 5); // a writer died mid-write

        Assert.Null(reader.TryRead(out ControlBlockReadStatus status, attempts: 8));
        Assert.Equal(ControlBlockReadStatus.Unsettled, status);
    }

    [Theory]
    [InlineData(2, 128, ControlBlockReadStatus.BadVersion)]
    [InlineData(1, 64, ControlBlockReadStatus.BadSize)]
    public unsafe void TryRead_WrongVersionOrSize_ReturnsNullNamingWhich(ushort version, ushort size, ControlBlockReadStatus expected)
    {
        using ControlBlockWriter writer = ControlBlockWriter.CreateOwned(42, writeSeal: false); // a second writable mapping for Poke
        writer.Write(Sample(1));
        using ControlBlockReader reader = ControlBlockReader.Open(writer.Memfd);
        Poke(writer, b =>
        {
            b->AbiVersion = version;
            b->Size = size;
        });

        Assert.Null(reader.TryRead(out ControlBlockReadStatus status));
        Assert.Equal(expected, status);
    }

    [Fact]
    public async Task TryRead_ConcurrentWriter_NeverSeesATornBlock()
    {
        // Every word of Sample(k) after seq is k, so a mix of two writes shows up as words that disagree.
        using ControlBlockWriter writer = ControlBlockWriter.CreateOwned(42);
        writer.Write(Sample(0));
        using ControlBlockReader reader = ControlBlockReader.Open(writer.Memfd);
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

    /// <summary>Writes into the block behind the writer's back, as a second mapping (of a block created without the write seal).</summary>
    private static unsafe void Poke(ControlBlockWriter writer, Patch patch)
    {
        using MappedRegion region = writer.Memfd.Map(writable: true);
        patch((ControlBlock*)region.BaseAddress);
    }
}
