using Gpupredict.Core.Events;
using Gpupredict.Interop.Abi;
using Gpupredict.Interop.Rings;
using Gpupredict.Interop.SharedMemory;

namespace Gpupredict.Interop.Tests.Rings;

public sealed unsafe class EventRingReaderTests
{
    [Fact]
    public void CreateOwned_NewRing_HasTheDaemonsGeometryAValidHeaderAndEverySlotFree()
    {
        using EventRingReader reader = EventRingWriter.NewRing(8);
        using EventRingWriter writer = EventRingWriter.Over(reader);
        RingHeader* h = writer.Header;

        Assert.Equal(
            (EventRingWriter.DefaultPid, EventRingWriter.DefaultStartTime, 8, EventRingWriter.DefaultCreatedNs, 0UL, 0UL, 0L),
            (reader.Pid, reader.StartTime, reader.Capacity, reader.CreatedNs, reader.Written, reader.Dropped, reader.Malformed));
        Assert.Equal(
            (AbiConstants.RingMagic, AbiConstants.AbiVersion, (uint)AbiConstants.RingHeaderSize, (uint)AbiConstants.RingSlotSize, 8u, (uint)EventRingWriter.DefaultPid, EventRingWriter.DefaultStartTime, EventRingWriter.DefaultCreatedNs),
            (h->Magic, h->AbiVersion, h->HeaderSize, h->SlotSize, h->Capacity, h->Pid, h->StartTime, h->CreatedNs));
        Assert.Equal([0UL, 1UL, 2UL, 3UL, 4UL, 5UL, 6UL, 7UL], Enumerable.Range(0, 8).Select(i => writer.Slot((ulong)i)->Seq));
        Assert.Equal(("memfd:gpupredict-ring.4242", 256L + (8 * 128)), (reader.Path, reader.Memfd.Length));
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(1u)]
    [InlineData(3u)]
    [InlineData(1u << 25)]
    public void CreateOwned_CapacityNotAPowerOfTwoInRange_Throws(uint capacity)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => EventRingReader.CreateOwned(capacity, 1, 1, 1));

        Assert.Contains("a power of two in [2, 16777216]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateOwned_SizeSealed_TheApplicationCannotTruncateIt()
    {
        using EventRingReader reader = EventRingWriter.NewRing(8);
        using EventRingWriter writer = EventRingWriter.Over(reader);
        writer.TryWrite(TestEvents.Numbered(0));

        Assert.True(reader.SizeSealed, "memfd size seals (Linux 3.17) refused");
        Assert.Equal(MemfdSeals.Seal | MemfdSeals.Shrink | MemfdSeals.Grow, reader.Memfd.Seals);
        Assert.Throws<UnauthorizedAccessException>(() => Truncate(reader, AbiConstants.RingHeaderSize)); // EPERM: the seal
        Assert.Equal((1, 1UL), (reader.Drain(new GpuEvent[4]), reader.Written));
    }

    [Fact]
    public void Drain_HeaderScribbledAfterCreation_KeepsTheDaemonsGeometry()
    {
        // The header is the application's to scribble on: a huge capacity, another pid, garbage
        // magic change nothing the reader relies on (one lap of 4 slots, events of pid 4242).
        using EventRingReader reader = EventRingWriter.NewRing(4);
        using EventRingWriter writer = EventRingWriter.Over(reader);
        for (ulong i = 0; i < 4; i++)
        {
            writer.TryWrite(TestEvents.Numbered(i));
        }

        (writer.Header->Magic, writer.Header->Capacity, writer.Header->Pid, writer.Header->SlotSize) = (0xDEADBEEF, 1u << 24, 1, 1);
        var buffer = new GpuEvent[16];

        Assert.Equal(4, reader.Drain(buffer));
        Assert.Equal((4, EventRingWriter.DefaultPid, 0L), (reader.Capacity, reader.Pid, reader.Malformed));
        Assert.Equal([0UL, 1UL, 2UL, 3UL], buffer[..4].Select(e => e.CorrelationId));
    }

    [Fact]
    public void Drain_EmptyRing_ReturnsZero()
    {
        using EventRingReader reader = EventRingWriter.NewRing(8);
        using EventRingWriter writer = EventRingWriter.Over(reader);

        Assert.Equal(0, reader.Drain(new GpuEvent[4]));
    }

    [Fact]
    public void Drain_PublishedEvents_ReturnsThemInOrderAndReleasesTheirSlots()
    {
        using EventRingReader reader = EventRingWriter.NewRing(8);
        using EventRingWriter writer = EventRingWriter.Over(reader);
        for (ulong i = 0; i < 3; i++)
        {
            Assert.True(writer.TryWrite(TestEvents.Numbered(i)));
        }

        var buffer = new GpuEvent[8];
        int n = reader.Drain(buffer);

        Assert.Equal(3, n);
        Assert.Equal([TestEvents.Numbered(0), TestEvents.Numbered(1), TestEvents.Numbered(2)], buffer[..n]);
        Assert.Equal([8UL, 9UL, 10UL, 3UL], [writer.Slot(0)->Seq, writer.Slot(1)->Seq, writer.Slot(2)->Seq, writer.Slot(3)->Seq]); // index + capacity; slot 3 untouched
        Assert.Equal((3UL, 3UL, 3L), (writer.Header->Tail, reader.Written, reader.Consumed));
    }

    [Fact]
    public void Drain_DestinationShorterThanBacklog_FillsItAndLeavesTheRest()
    {
        using EventRingReader reader = EventRingWriter.NewRing(8);
        using EventRingWriter writer = EventRingWriter.Over(reader);
        for (ulong i = 0; i < 5; i++)
        {
            writer.TryWrite(TestEvents.Numbered(i));
        }

        var buffer = new GpuEvent[2];

        Assert.Equal(2, reader.Drain(buffer));
        Assert.Equal(1UL, buffer[1].CorrelationId);
        Assert.Equal(2, reader.Drain(buffer));
        Assert.Equal(1, reader.Drain(buffer));
        Assert.Equal(4UL, buffer[0].CorrelationId);
        Assert.Equal(0, reader.Drain(buffer));
    }

    [Fact]
    public void Drain_ManyLapsWithInterleavedDrains_ReadsEveryEventOnceInOrder()
    {
        // 4 slots, 1000 events written 3 at a time with a drain after each batch: 250 laps.
        using EventRingReader reader = EventRingWriter.NewRing(4);
        using EventRingWriter writer = EventRingWriter.Over(reader);
        var buffer = new GpuEvent[3];
        ulong next = 0;
        for (ulong written = 0; written < 1000;)
        {
            for (int k = 0; k < 3 && written < 1000; k++)
            {
                Assert.True(writer.TryWrite(TestEvents.Numbered(written++)));
            }

            int n = reader.Drain(buffer);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(next++, buffer[i].CorrelationId);
            }
        }

        Assert.Equal((1000UL, 1000UL, 0UL, 1000UL), (next, reader.Written, reader.Dropped, writer.Header->Tail));
    }

    [Fact]
    public void TryWrite_FullRing_CountsDropsAndTheReaderSeesThem()
    {
        using EventRingReader reader = EventRingWriter.NewRing(4);
        using EventRingWriter writer = EventRingWriter.Over(reader);
        bool[] accepted = Enumerable.Range(0, 7).Select(i => writer.TryWrite(TestEvents.Numbered((ulong)i))).ToArray();

        var buffer = new GpuEvent[8];
        int n = reader.Drain(buffer);

        Assert.Equal([true, true, true, true, false, false, false], accepted); // 4 slots: 3 dropped
        Assert.Equal((4, 4UL, 3UL), (n, reader.Written, reader.Dropped));
        Assert.Equal([0UL, 1UL, 2UL, 3UL], buffer[..n].Select(e => e.CorrelationId));
        Assert.True(writer.TryWrite(TestEvents.Numbered(7))); // drained: room again
        Assert.Equal(1, reader.Drain(buffer));
        Assert.Equal(7UL, buffer[0].CorrelationId);
    }

    public static TheoryData<string, GpuEvent> MalformedEvents => new()
    {
        { "unknown kind 99", TestEvents.Numbered(1) with { Kind = (GpuEventKind)99 } },
        { "kind NONE", TestEvents.Numbered(1) with { Kind = GpuEventKind.None } },
        { "end before start", TestEvents.Numbered(1) with { EndNs = 999 } },
        { "device -2", TestEvents.Numbered(1) with { Device = -2 } },
        { "undefined flag bit 7", TestEvents.Numbered(1) with { Flags = (GpuEventFlags)(1 << 7) } },
        { "another process's pid", TestEvents.Numbered(1, pid: 4243) },
    };

    [Theory]
    [MemberData(nameof(MalformedEvents))]
    public void Drain_MalformedEvent_SkipsItCountsItAndReadsOn(string why, GpuEvent bad)
    {
        using EventRingReader reader = EventRingWriter.NewRing(4);
        using EventRingWriter writer = EventRingWriter.Over(reader);
        writer.TryWrite(TestEvents.Numbered(0));
        writer.TryWrite(bad);
        writer.TryWrite(TestEvents.Numbered(2));

        var buffer = new GpuEvent[4];
        int n = reader.Drain(buffer);

        Assert.True(n == 2, why);
        Assert.Equal([0UL, 2UL], buffer[..n].Select(e => e.CorrelationId));
        Assert.Equal((1L, 3UL, 2L), (reader.Malformed, writer.Header->Tail, reader.Consumed));
    }

    [Fact]
    public void Drain_WellFormedEdgeCases_AreAccepted()
    {
        // An instant (end == ts), device -1 (unknown) and every defined flag are all legal.
        using EventRingReader reader = EventRingWriter.NewRing(4);
        using EventRingWriter writer = EventRingWriter.Over(reader);
        GpuEvent edge = TestEvents.Numbered(0) with { EndNs = 1000, Device = -1, Flags = (GpuEventFlags)0x7F, Kind = GpuEventKind.ProcessExit };
        writer.TryWrite(edge);

        var buffer = new GpuEvent[1];

        Assert.Equal(1, reader.Drain(buffer));
        Assert.Equal(edge, buffer[0]);
    }

    [Fact]
    public void Drain_SeqScribbledBehindTheProducer_ReleasesTheSlotAndCountsIt()
    {
        using EventRingReader reader = EventRingWriter.NewRing(4);
        using EventRingWriter writer = EventRingWriter.Over(reader);
        writer.TryWrite(TestEvents.Numbered(0));
        writer.TryWrite(TestEvents.Numbered(1));
        writer.Slot(0)->Seq = 0xDEAD_BEEF; // head is 2, past the scribbled index 0

        var buffer = new GpuEvent[4];
        int n = reader.Drain(buffer);

        Assert.Equal((1, 1UL, 1L), (n, buffer[0].CorrelationId, reader.Malformed));
        Assert.Equal(4UL, writer.Slot(0)->Seq); // released for index 0 + capacity
        for (ulong i = 2; i < 6; i++)
        {
            Assert.True(writer.TryWrite(TestEvents.Numbered(i))); // the producer laps over it again
        }

        Assert.Equal(4, reader.Drain(buffer));
    }

    [Fact]
    public void Drain_SeqScribbledAtTheProducersHead_RepairsItSoTheProducerResumes()
    {
        using EventRingReader reader = EventRingWriter.NewRing(4);
        using EventRingWriter writer = EventRingWriter.Over(reader);
        writer.Slot(0)->Seq = 77; // head is 0: the producer would refuse this slot forever
        Assert.False(writer.TryWrite(TestEvents.Numbered(0)));

        var buffer = new GpuEvent[4];

        Assert.Equal(0, reader.Drain(buffer));
        Assert.Equal((0UL, 1L), (writer.Slot(0)->Seq, reader.Malformed)); // free for index 0 again
        Assert.Equal(0, reader.Drain(buffer)); // counted once, not on every drain
        Assert.Equal(1L, reader.Malformed);
        Assert.True(writer.TryWrite(TestEvents.Numbered(1)));
        Assert.Equal(1, reader.Drain(buffer));
        Assert.Equal(1UL, buffer[0].CorrelationId);
    }

    [Theory]
    [InlineData(0)] // the slot still holds seq = tail + capacity
    [InlineData(4)] // the producer already published the next lap into it: seq = tail + capacity + 1
    public void Drain_SlotAlreadyConsumedAtTheTail_SkipsItWithoutLossOrCount(int writtenAfter)
    {
        // What a reader that released index 0 but did not store tail = 1 leaves behind. The daemon's
        // reader never restarts on a ring (a re-joined application gets a new one), so here the
        // application writes that state: index 0 claimed and released, head at 1.
        using EventRingReader reader = EventRingWriter.NewRing(4);
        using EventRingWriter writer = EventRingWriter.Over(reader);
        writer.Slot(0)->Seq = 4;
        writer.Header->Head = 1;
        for (int i = 0; i < writtenAfter; i++)
        {
            Assert.True(writer.TryWrite(TestEvents.Numbered(1 + (ulong)i)));
        }

        var buffer = new GpuEvent[8];
        int n = reader.Drain(buffer); // one call visits at most one lap (4 slots), the skipped slot included
        n += reader.Drain(buffer.AsSpan(n));

        Assert.Equal(writtenAfter, n);
        Assert.Equal(Enumerable.Range(1, writtenAfter).Select(i => (ulong)i), buffer[..n].Select(e => e.CorrelationId));
        Assert.Equal((0L, 1UL + (ulong)writtenAfter), (reader.Malformed, writer.Header->Tail));
    }

    [Fact]
    public void Drain_UnsealedRingTruncatedAfterCreation_ThrowsNamingTheFileSize()
    {
        // A kernel that refuses the seals: the reader looks at the size through its own descriptor
        // before touching the mapping, so a shrunk ring is an exception, not a SIGBUS.
        using EventRingReader reader = EventRingWriter.NewRing(8, sizeSeal: false);
        Assert.False(reader.SizeSealed);
        Truncate(reader, AbiConstants.RingHeaderSize);

        var drain = Assert.Throws<EventRingFormatException>(() => reader.Drain(new GpuEvent[1]));
        var written = Assert.Throws<EventRingFormatException>(() => reader.Written);

        Assert.Equal(("file size", "file size"), (drain.Field, written.Field));
        Assert.Equal("event ring memfd:gpupredict-ring.4242: file size is 256 bytes: truncated after creation, expected >= 1280 bytes (as at creation)", drain.Message);
    }

    [Fact]
    public void Drain_AfterDispose_ThrowsObjectDisposed()
    {
        EventRingReader reader = EventRingWriter.NewRing(4);
        reader.Dispose();

        Assert.Throws<ObjectDisposedException>(() => reader.Drain(new GpuEvent[1]));
    }

    [Fact]
    public void Drain_SteadyState_AllocatesNothing()
    {
        using EventRingReader reader = EventRingWriter.NewRing(256);
        using EventRingWriter writer = EventRingWriter.Over(reader);
        var buffer = new GpuEvent[256];
        RoundTrip(writer, reader, buffer, 0); // warm up: JIT, first-call stubs

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int round = 1; round <= 20; round++)
        {
            RoundTrip(writer, reader, buffer, (ulong)round * 256);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(21 * 256, reader.Consumed);
    }

    private static void RoundTrip(EventRingWriter writer, EventRingReader reader, GpuEvent[] buffer, ulong first)
    {
        for (ulong i = 0; i < 256; i++)
        {
            writer.TryWrite(TestEvents.Numbered(first + i));
        }

        if (reader.Drain(buffer) != 256)
        {
            throw new InvalidOperationException("expected a full drain");
        }
    }

    /// <summary>ftruncate(2) of the ring's memfd, as the application could do to its copy.</summary>
    private static void Truncate(EventRingReader reader, long length)
    {
        using var stream = new FileStream($"/proc/self/fd/{reader.Memfd.Descriptor}", FileMode.Open, FileAccess.Write);
        stream.SetLength(length);
    }
}
