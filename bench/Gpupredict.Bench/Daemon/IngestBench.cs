using System.Diagnostics;
using System.Globalization;
using Gpupredict.Core.Events;
using Gpupredict.Core.Pipeline;
using Gpupredict.Daemon.Live;
using Gpupredict.Interop.Native;
using Gpupredict.Interop.Registration;

namespace Gpupredict.Bench.Daemon;

/// <summary>
/// Events ingested end to end: this process registers with a real <see cref="RegistrationServer"/>
/// (a daemon-created memfd ring, mapped read-write), a producer thread pinned to CPU 1 writes
/// well-formed events into it with the ring protocol, and the consumer, pinned to CPU 0, runs
/// <see cref="LiveDemandSource.Read"/> (ring drain, validation, <c>StreamingAggregator</c> push and
/// close) step after step, back to back. Two figures: the drain alone (the producer fills the ring
/// while the consumer waits, then the consumer empties it, timed: the consumer's own rate on one
/// core), and both running at once at offered rates, with the drops the producer counted.
/// </summary>
internal static class IngestBench
{
    private const long StepNs = 10_000_000;

    public static void Run(int seconds)
    {
        string dir = Directory.CreateTempSubdirectory("gpupredict-bench-").FullName;
        long origin = MonotonicClock.NowNs();
        var source = new LiveDemandSource(origin, StepNs);
        using var server = new RegistrationServer(new RegistrationOptions(Path.Join(dir, "register.sock")), source);
        server.Start();
        using RingClient client = RingClient.Register(server.SocketPath);
        var frame = new DemandFrame();
        long step = 0;
        while (source.Snapshot().Count == 0)
        {
            Thread.Sleep(1);
            frame.Begin(step);
            source.Read(step++, frame);
        }

        Console.WriteLine($"one ring of {client.Capacity} slots (the default), this process registered through RegistrationServer; consumer pinned to CPU 0, producer thread to CPU 1");
        DrainOnly(client, source, frame, ref step, origin);
        Console.WriteLine();
        Console.WriteLine("offered events/s  consumed events/s  dropped  drop rate  late  consumer CPU");
        foreach (double rate in (double[])[0.5e6, 1e6, 2e6, 5e6, 10e6, double.PositiveInfinity])
        {
            Concurrent(client, source, frame, ref step, origin, rate, seconds);
        }

        server.Stop(TimeSpan.FromSeconds(2));
        source.Dispose();
        Directory.Delete(dir, true);
    }

    private static void DrainOnly(RingClient client, LiveDemandSource source, DemandFrame frame, ref long step, long origin)
    {
        BenchNative.PinThisThread(0);
        var rates = new List<double>();
        for (int round = 0; round < 5; round++)
        {
            long events = 0;
            long ns = 0;
            for (int lap = 0; lap < 200; lap++)
            {
                long s = step;
                var producer = new Thread(() => Fill(client, origin, s, (int)client.Capacity));
                producer.Start();
                producer.Join();
                long before = source.Events;
                long start = Stopwatch.GetTimestamp();
                while (source.Events - before < client.Capacity)
                {
                    frame.Begin(step);
                    source.Read(step++, frame);
                }

                ns += (long)Stopwatch.GetElapsedTime(start).TotalNanoseconds;
                events += source.Events - before;
            }

            rates.Add(events * 1e9 / ns);
        }

        rates.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"drain alone (ring filled, then emptied by LiveDemandSource.Read, 5 rounds of 200 x 65,536 events): {rates[0] / 1e6:0.0}-{rates[^1] / 1e6:0.0} M events/s (median {rates[2] / 1e6:0.0} M)"));
    }

    private static void Fill(RingClient client, long origin, long step, int count)
    {
        BenchNative.PinThisThread(1);
        for (int i = 0; i < count; i++)
        {
            client.TryWrite(Event(origin, step, i));
        }
    }

    private static void Concurrent(RingClient client, LiveDemandSource source, DemandFrame frame, ref long step, long origin, double rate, int seconds)
    {
        var stop = new ManualResetEventSlim();
        long currentStep = step;
        long produced = 0;
        var producer = new Thread(() =>
        {
            BenchNative.PinThisThread(1);
            long start = Stopwatch.GetTimestamp();
            long n = 0;
            while (!stop.IsSet)
            {
                // Batches of 256, paced against the clock so the offered rate holds on average.
                long s = Volatile.Read(ref currentStep);
                for (int i = 0; i < 256; i++)
                {
                    client.TryWrite(Event(origin, s, (int)n++));
                }

                if (!double.IsInfinity(rate))
                {
                    double due = n / rate;
                    while (Stopwatch.GetElapsedTime(start).TotalSeconds < due && !stop.IsSet)
                    {
                        Thread.SpinWait(20);
                    }
                }
            }

            Volatile.Write(ref produced, n);
        });
        ulong dropped0 = client.Dropped;
        long late0 = LateOf(source);
        long events0 = source.Events;
        long cpu0 = BenchNative.ThreadCpuNs();
        long t0 = Stopwatch.GetTimestamp();
        producer.Start();
        while (Stopwatch.GetElapsedTime(t0).TotalSeconds < seconds)
        {
            frame.Begin(step);
            source.Read(step, frame);
            Volatile.Write(ref currentStep, ++step);
        }

        stop.Set();
        producer.Join();
        double elapsed = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        long events = source.Events - events0;
        double cpu = (BenchNative.ThreadCpuNs() - cpu0) / 1e9;
        while (source.Events - events0 + (long)(client.Dropped - dropped0) < Volatile.Read(ref produced))
        {
            frame.Begin(step);
            source.Read(step, frame); // what is still in the ring
            Volatile.Write(ref currentStep, ++step);
        }

        long dropped = (long)(client.Dropped - dropped0);
        string offered = double.IsInfinity(rate) ? "max" : string.Create(CultureInfo.InvariantCulture, $"{rate / 1e6:0.#} M");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{offered,16}  {events / elapsed / 1e6,15:0.0} M  {dropped,7}  {(double)dropped / Math.Max(1, produced):0.00%}  {LateOf(source) - late0,5}  {cpu / elapsed,11:0%}"));
    }

    private static long LateOf(LiveDemandSource source) => source.Snapshot().Sum(a => a.Late);

    /// <summary>
    /// A well-formed event of this process, stamped in the step after <paramref name="step"/> (the
    /// consumer's step when the producer looked; one ahead, so it is rarely late), times rising with
    /// <paramref name="i"/> as a live application's do: allocation, kernel, copy or free in turn.
    /// </summary>
    private static GpuEvent Event(long origin, long step, int i)
    {
        ulong ts = (ulong)(origin + ((step + 1) * StepNs) + (i & 0x3FFFFF));
        return (i & 3) switch
        {
            0 => new GpuEvent { Kind = GpuEventKind.Alloc, TimestampNs = ts, EndNs = ts, Bytes = 1 << 20, Address = (ulong)i, Pid = (uint)Environment.ProcessId, Device = 0 },
            1 => new GpuEvent { Kind = GpuEventKind.KernelExec, Flags = GpuEventFlags.GpuTime, TimestampNs = ts, EndNs = ts + 500, Pid = (uint)Environment.ProcessId, Device = 0, GridX = 64, GridY = 1, GridZ = 1, BlockX = 256, BlockY = 1, BlockZ = 1 },
            2 => new GpuEvent { Kind = GpuEventKind.MemcpyHtoD, TimestampNs = ts, EndNs = ts + 300, Bytes = 64 << 10, Pid = (uint)Environment.ProcessId, Device = 0 },
            _ => new GpuEvent { Kind = GpuEventKind.Free, TimestampNs = ts, EndNs = ts, Bytes = 1 << 20, Address = (ulong)(i - 3), Pid = (uint)Environment.ProcessId, Device = 0 },
        };
    }
}
