using Gpupredict.Core.Events;
using Gpupredict.Interop.Abi;
using Gpupredict.Interop.Rings;
using Gpupredict.Interop.Tests.SharedMemory;

namespace Gpupredict.Interop.Tests.Rings;

public sealed unsafe class EventRingReaderTests : IDisposable
{
    private readonly TempShmRoot _shm = new();

    public void Dispose() => _shm.Dispose();

    [Fact]
    public void Open_ValidRing_ExposesTheHeaderFacts()
    {
        using EventRingWriter writer = NewRing(8);

        using EventRingReader reader = EventRingReader.Open(writer.Path);

        Assert.Equal(
            (EventRingWriter.DefaultPid, EventRingWriter.DefaultStartTime, 8, 123_000_000UL, 0UL, 0UL, 0L),
            (reader.Pid, reader.StartTime, reader.Capacity, reader.CreatedNs, reader.Written, reader.Dropped, reader.Malformed));
        Assert.Equal(new FileInfo(writer.Path).FullName, new FileInfo(reader.Path).FullName);
    }

    [Fact]
    public void Open_ByProcessName_FindsTheRingUnderTheRoot()
    {
        using EventRingWriter writer = EventRingWriter.Create(_shm.Root.RingPath(77, 555), 4, pid: 77, startTime: 555);

        using EventRingReader reader = EventRingReader.Open(_shm.Root, 77, 555);

        Assert.Equal((77, 555UL), (reader.Pid, reader.StartTime));
        Assert.EndsWith("/gpupredict.77.555", reader.Path, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(78, 555UL, "pid is 77, expected 78 (from the name)")]
    [InlineData(77, 556UL, "start_time is 555, expected 556 (from the name)")]
    public void Open_HeaderNamesAnotherProcess_ThrowsNamingTheField(int pid, ulong startTime, string expected)
    {
        using EventRingWriter writer = EventRingWriter.Create(_shm.Root.RingPath(pid, startTime), 4, pid: 77, startTime: 555);

        var e = Assert.Throws<EventRingFormatException>(() => EventRingReader.Open(_shm.Root, pid, startTime));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Drain_EmptyRing_ReturnsZero()
    {
        using EventRingWriter writer = NewRing(8);
        using EventRingReader reader = EventRingReader.Open(writer.Path);

        Assert.Equal(0, reader.Drain(new GpuEvent[4]));
    }

    [Fact]
    public void Drain_PublishedEvents_ReturnsThemInOrderAndReleasesTheirSlots()
    {
        using EventRingWriter writer = NewRing(8);
        using EventRingReader reader = EventRingReader.Open(writer.Path);
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
        using EventRingWriter writer = NewRing(8);
        using EventRingReader reader = EventRingReader.Open(writer.Path);
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
        using EventRingWriter writer = NewRing(4);
        using EventRingReader reader = EventRingReader.Open(writer.Path);
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
        using EventRingWriter writer = NewRing(4);
        using EventRingReader reader = EventRingReader.Open(writer.Path);
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
        using EventRingWriter writer = NewRing(4);
        using EventRingReader reader = EventRingReader.Open(writer.Path);
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
        using EventRingWriter writer = NewRing(4);
        using EventRingReader reader = EventRingReader.Open(writer.Path);
        GpuEvent edge = TestEvents.Numbered(0) with { EndNs = 1000, Device = -1, Flags = (GpuEventFlags)0x7F, Kind = GpuEventKind.ProcessExit };
        writer.TryWrite(edge);

        var buffer = new GpuEvent[1];

        Assert.Equal(1, reader.Drain(buffer));
        Assert.Equal(edge, buffer[0]);
    }

    [Fact]
    public void Drain_SeqScribbledBehindTheProducer_ReleasesTheSlotAndCountsIt()
    {
        using EventRingWriter writer = NewRing(4);
        using EventRingReader reader = EventRingReader.Open(writer.Path);
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
        using EventRingWriter writer = NewRing(4);
        using EventRingReader reader = EventRingReader.Open(writer.Path);
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
    [InlineData(0)] // the stale slot still holds seq = tail + capacity
    [InlineData(4)] // the producer already published the next lap into it: seq = tail + capacity + 1
    public void Drain_PreviousReaderDiedBeforeStoringTail_SkipsTheConsumedSlotWithoutLoss(int writtenAfterCrash)
    {
        using EventRingWriter writer = NewRing(4);
        var buffer = new GpuEvent[8];
        using (EventRingReader first = EventRingReader.Open(writer.Path))
        {
            for (ulong i = 0; i < 4; i++)
            {
                writer.TryWrite(TestEvents.Numbered(i));
            }

            Assert.Equal(4, first.Drain(buffer));
        }

        writer.Header->Tail = 3; // as if the reader died after releasing index 3 but before storing tail = 4
        for (int i = 0; i < writtenAfterCrash; i++)
        {
            Assert.True(writer.TryWrite(TestEvents.Numbered(4 + (ulong)i)));
        }

        using EventRingReader second = EventRingReader.Open(writer.Path);
        int n = second.Drain(buffer); // one call visits at most one lap (4 slots), the skipped slot included
        n += second.Drain(buffer.AsSpan(n));

        Assert.Equal(writtenAfterCrash, n);
        Assert.Equal(Enumerable.Range(4, writtenAfterCrash).Select(i => (ulong)i), buffer[..n].Select(e => e.CorrelationId));
        Assert.Equal((0L, 4UL + (ulong)writtenAfterCrash), (second.Malformed, writer.Header->Tail));
    }

    [Fact]
    public void Drain_RingTruncatedAfterOpen_ThrowsNamingTheFileSize()
    {
        using EventRingWriter writer = NewRing(8);
        using EventRingReader reader = EventRingReader.Open(writer.Path);
        using (var stream = new FileStream(writer.Path, FileMode.Open, FileAccess.Write))
        {
            stream.SetLength(AbiConstants.RingHeaderSize);
        }

        var e = Assert.Throws<EventRingFormatException>(() => reader.Drain(new GpuEvent[1]));

        Assert.Equal("file size", e.Field);
        Assert.Contains($"{writer.Path}: file size is 256 bytes: truncated after open, expected >= 1280 bytes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Drain_AfterDispose_ThrowsObjectDisposed()
    {
        using EventRingWriter writer = NewRing(4);
        EventRingReader reader = EventRingReader.Open(writer.Path);
        reader.Dispose();

        Assert.Throws<ObjectDisposedException>(() => reader.Drain(new GpuEvent[1]));
    }

    [Fact]
    public void Drain_SteadyState_AllocatesNothing()
    {
        using EventRingWriter writer = NewRing(256);
        using EventRingReader reader = EventRingReader.Open(writer.Path);
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

    private EventRingWriter NewRing(uint capacity) => EventRingWriter.Create(_shm.File("gpupredict.ring"), capacity);
}
