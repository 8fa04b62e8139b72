using System.Diagnostics;
using System.Globalization;
using Gpupredict.Core.Apps;
using Gpupredict.Interop.Native;

namespace Gpupredict.Bench.Daemon;

/// <summary>
/// Tick duration with 16, 64 and 256 live applications, then exit-to-release over exits. The node
/// is <see cref="LiveNode"/> (NodeDaemon's assembly) in this process, ticked on this thread pinned
/// to CPU 0 on the daemon's absolute 10 ms schedule; the applications are loadgen processes under
/// the interposer pinned to CPU 1. Durations are taken after a warm-up of 100 ticks, as wall
/// time and as the tick thread's CPU time (which leaves out the time the machine gave to others).
/// </summary>
internal static class TickBench
{
    public static void Run(int ticks, int exits)
    {
        string dir = Directory.CreateTempSubdirectory("gpupredict-bench-").FullName;
        var node = new LiveNode(Path.Join(dir, "register.sock"));
        using var apps = new Loadgens(dir) { Cpu = 1 };
        BenchNative.PinThisThread(0);
        node.Server.Start();
        long step = 0;
        node.Tick(step++);
        Console.WriteLine($"tick thread pinned to CPU 0 at a 10 ms schedule; loadgen applications (about 400 driver calls/s each) pinned to CPU 1; {ticks} ticks measured after 100 of warm-up");
        Console.WriteLine("applications  events/s in  tick p50   tick p99   tick max  ticks > 10 ms  cpu p50   cpu p99   B/tick");
        foreach (int n in (int[])[16, 64, 256])
        {
            while (apps.Running.Count < n)
            {
                apps.Start(node.Server.SocketPath);
            }

            long deadline = Environment.TickCount64 + 60_000;
            while (node.Applications < n && Environment.TickCount64 < deadline)
            {
                step = TickOnSchedule(node, step, null);
            }

            for (int i = 0; i < 100; i++)
            {
                step = TickOnSchedule(node, step, null);
            }

            var durations = new List<long>(ticks);
            var cpu = new List<long>(ticks);
            long gc0 = GC.GetTotalAllocatedBytes(precise: true);
            long events0 = node.Source.Events;
            long late = 0;
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < ticks; i++)
            {
                step = TickOnSchedule(node, step, durations, cpu);
                late += durations[^1] > LiveNode.StepNs ? 1 : 0;
            }

            double rate = (node.Source.Events - events0) / Stopwatch.GetElapsedTime(t0).TotalSeconds;
            long allocated = (GC.GetTotalAllocatedBytes(precise: true) - gc0) / ticks; // this process, all threads: an upper bound for the tick's
            durations.Sort();
            cpu.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{node.Applications,12}  {rate,11:0}  {Ms(Pct(durations, 0.5)),8}  {Ms(Pct(durations, 0.99)),8}  {Ms(durations[^1]),8}  {late,11}  {Ms(Pct(cpu, 0.5)),8}  {Ms(Pct(cpu, 0.99)),8}  {allocated,9}"));
        }

        Exits(node, apps, ref step, exits);
        apps.Dispose();
        node.DisposeAsync().AsTask().Wait();
        Directory.Delete(dir, true);
    }

    /// <summary>
    /// Kills applications one at a time (SIGKILL), at a random phase of the step, replacing each so
    /// the node stays at 256; for each, hang-up (DepartedNs, the registration thread) and kill(2)
    /// to the release returned by the backend (the tick thread).
    /// </summary>
    private static void Exits(LiveNode node, Loadgens apps, ref long step, int exits)
    {
        var fromHangUp = new List<long>();
        var fromKill = new List<long>();
        var random = new Random(7);
        for (int i = 0; i < exits; i++)
        {
            Process victim = apps.Running[random.Next(apps.Running.Count)];
            AppId? app = node.Source.Snapshot().FirstOrDefault(a => a.App.Pid == victim.Id)?.App;
            long due = node.OriginNs + ((step + 1) * LiveNode.StepNs);
            MonotonicClock.SleepUntil(due - random.NextInt64(LiveNode.StepNs)); // anywhere in the step
            long killed = MonotonicClock.NowNs();
            apps.Kill(victim);
            long deadline = Environment.TickCount64 + 5000;
            while (app is { } a && !node.Released.ContainsKey(a) && Environment.TickCount64 < deadline)
            {
                step = TickOnSchedule(node, step, null);
            }

            if (app is { } gone && node.Released.TryGetValue(gone, out long released) && node.Departed.TryGetValue(gone, out long departed))
            {
                fromHangUp.Add(released - departed);
                fromKill.Add(released - killed);
            }

            apps.Start(node.Server.SocketPath); // the node stays at 256
            step = TickOnSchedule(node, step, null);
        }

        fromHangUp.Sort();
        fromKill.Sort();
        Console.WriteLine();
        Console.WriteLine($"exit -> released, {fromHangUp.Count} of {exits} SIGKILLs measured, 256 applications running, 10 ms step");
        Console.WriteLine("from                                 p50       p99       max");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hang-up seen (DepartedNs)      {Ms(Pct(fromHangUp, 0.5)),8}  {Ms(Pct(fromHangUp, 0.99)),8}  {Ms(fromHangUp.Count == 0 ? 0 : fromHangUp[^1]),8}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"kill(2) sent                   {Ms(Pct(fromKill, 0.5)),8}  {Ms(Pct(fromKill, 0.99)),8}  {Ms(fromKill.Count == 0 ? 0 : fromKill[^1]),8}"));
    }

    /// <summary>Sleeps to the end of <paramref name="step"/> (as NodeDaemon's loop does), runs it, records its duration; the next step.</summary>
    private static long TickOnSchedule(LiveNode node, long step, List<long>? durations, List<long>? cpu = null)
    {
        MonotonicClock.SleepUntil(node.OriginNs + ((step + 1) * LiveNode.StepNs));
        long start = MonotonicClock.NowNs();
        long cpuStart = BenchNative.ThreadCpuNs();
        node.Tick(step);
        durations?.Add(MonotonicClock.NowNs() - start);
        cpu?.Add(BenchNative.ThreadCpuNs() - cpuStart);
        return step + 1;
    }

    internal static long Pct(List<long> sorted, double q) => sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];

    internal static string Ms(long ns) => string.Create(CultureInfo.InvariantCulture, $"{ns / 1e6:0.000} ms");
}
