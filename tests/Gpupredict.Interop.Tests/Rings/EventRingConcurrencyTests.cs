using Gpupredict.Core.Events;
using Gpupredict.Interop.Rings;
using Xunit.Abstractions;

namespace Gpupredict.Interop.Tests.Rings;

/// <summary>Producers and the reader on separate threads: nothing lost unaccounted, nothing read twice, order kept.</summary>
public sealed class EventRingConcurrencyTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    [Fact]
    public void Drain_OneProducerThreadMillionEvents_EachReadOnceInOrderAndDropsAccounted()
    {
        const int total = 1_000_000;
        using EventRingReader reader = EventRingWriter.NewRing(1024);
        using EventRingWriter writer = EventRingWriter.Over(reader);
        var dropped = new bool[total];

        Task producer = Task.Factory.StartNew(
            () =>
            {
                for (int i = 0; i < total; i++)
                {
                    dropped[i] = !writer.TryWrite(TestEvents.Numbered((ulong)i));
                    if (dropped[i])
                    {
                        WaitForRoom(writer); // else nearly all would drop: the producer is far faster
                    }
                }
            },
            TaskCreationOptions.LongRunning);
        var received = new bool[total];
        long next = 0;
        long count = ReadUntil(reader, producer, e =>
        {
            long id = (long)e.CorrelationId;
            if (id < next)
            {
                Assert.Fail($"event {id} after {next - 1}: out of order or repeated");
            }

            received[id] = true;
            next = id + 1;
        });

        long drops = dropped.Count(d => d);
        output.WriteLine($"{count} read, {drops} dropped");
        Assert.True(count > total / 2, $"only {count} of {total} read: the test exercised little but drops");
        Assert.Equal(total, count + drops);
        Assert.Equal(((ulong)count, (ulong)drops, 0L), (reader.Written, reader.Dropped, reader.Malformed));
        int wrong = Enumerable.Range(0, total).FirstOrDefault(k => received[k] == dropped[k], -1);
        Assert.True(wrong < 0, $"event {wrong}: received and dropped are both {(wrong < 0 ? false : received[wrong])}");
    }

    [Fact]
    public void Drain_TwoProducerThreads_EachProducersEventsReadOnceInItsOrder()
    {
        const int perProducer = 200_000;
        using EventRingReader reader = EventRingWriter.NewRing(256);
        using EventRingWriter writer = EventRingWriter.Over(reader);
        long[] drops = new long[2];

        Task[] producers = Enumerable.Range(0, 2).Select(p => Task.Factory.StartNew(
            () =>
            {
                for (int i = 0; i < perProducer; i++)
                {
                    if (!writer.TryWrite(TestEvents.Numbered((ulong)i, tid: (uint)p)))
                    {
                        drops[p]++;
                        WaitForRoom(writer);
                    }
                }
            },
            TaskCreationOptions.LongRunning)).ToArray();
        long[] next = new long[2];
        long[] counts = new long[2];
        ReadUntil(reader, Task.WhenAll(producers), e =>
        {
            long id = (long)e.CorrelationId;
            if (id < next[e.Tid])
            {
                Assert.Fail($"producer {e.Tid}: event {id} after {next[e.Tid] - 1}");
            }

            next[e.Tid] = id + 1;
            counts[e.Tid]++;
        });

        output.WriteLine($"read {counts[0]} + {counts[1]}, dropped {drops[0]} + {drops[1]}");
        Assert.Equal([perProducer, perProducer], [counts[0] + drops[0], counts[1] + drops[1]]);
        Assert.Equal((ulong)(drops[0] + drops[1]), reader.Dropped);
    }

    /// <summary>Spins until the reader has emptied half the ring (the test's pacing; a real producer just drops).</summary>
    private static unsafe void WaitForRoom(EventRingWriter writer)
    {
        var spinner = default(SpinWait);
        while (Volatile.Read(ref writer.Header->Head) - Volatile.Read(ref writer.Header->Tail) > writer.Capacity / 2)
        {
            spinner.SpinOnce();
        }
    }

    /// <summary>Drains until the producers are done and the ring is empty; returns the events seen.</summary>
    private static long ReadUntil(EventRingReader reader, Task producers, Action<GpuEvent> check)
    {
        var buffer = new GpuEvent[256];
        long count = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            bool done = producers.IsCompleted; // read before draining: after it, the ring holds everything
            int n = reader.Drain(buffer);
            for (int i = 0; i < n; i++)
            {
                check(buffer[i]);
            }

            count += n;
            if (n == 0)
            {
                if (done)
                {
                    producers.GetAwaiter().GetResult(); // rethrow a producer's failure
                    return count;
                }

                Assert.True(clock.Elapsed < Deadline, $"no progress after {clock.Elapsed}");
                Thread.Yield();
            }
        }
    }
}
