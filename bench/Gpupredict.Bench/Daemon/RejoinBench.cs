using System.Globalization;

namespace Gpupredict.Bench.Daemon;

/// <summary>
/// A restarted daemon re-joined: N loadgen applications registered to the real gpupredictd A; A gets
/// SIGTERM (it hangs up on every application, which then passes its calls through and retries
/// every 100 ms); daemon B starts on the same runtime directory; the time from B's socket appearing
/// (polled every 0.5 ms) to B's status file counting the first and all N registered (the file is
/// rewritten every 100 ms, so each figure is late by up to 100 ms). B is then the next round's A.
/// </summary>
internal static class RejoinBench
{
    public static void Run(int applications, int rounds)
    {
        string dir = Directory.CreateTempSubdirectory("gpupredict-bench-").FullName;
        using var apps = new Loadgens(dir);
        DaemonRun a = DaemonRun.Start(dir, Config);
        a.WaitListening();
        for (int i = 0; i < applications; i++)
        {
            apps.Start(a.Socket);
        }

        _ = Wait(a, applications);
        Console.WriteLine($"{applications} loadgen processes under the interposer; real gpupredictd restarted (SIGTERM, then a new process on the same socket)");
        Console.WriteLine("round  listening -> first registered  -> all registered  flood warnings logged");
        var all = new List<double>();
        for (int r = 1; r <= rounds; r++)
        {
            a.Terminate();
            a.Dispose();
            DaemonRun b = DaemonRun.Start(dir, Config);
            long listening = b.WaitListening();
            double first = (Wait(b, 1) - listening) / 1e6;
            double last = (Wait(b, applications) - listening) / 1e6;
            all.Add(last);
            int floods = b.Log.Count(l => l.Line.Contains("connection flood", StringComparison.Ordinal));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r,5}  {first,28:0} ms  {last,15:0} ms  {floods,21}"));
            a = b;
        }

        a.Terminate();
        a.Dispose();
        apps.Dispose();
        Directory.Delete(dir, true);
    }

    private const string Config = "status_interval: 100ms\n";

    /// <summary>Waits until the status file counts <paramref name="applications"/> registered; the monotonic ns it was seen.</summary>
    private static long Wait(DaemonRun d, int applications)
    {
        long deadline = Environment.TickCount64 + 60_000;
        while (d.Registrations < applications)
        {
            if (Environment.TickCount64 > deadline)
            {
                throw new TimeoutException($"{d.Registrations} of {applications} registered in 60 s");
            }

            Thread.Sleep(1);
        }

        return Interop.Native.MonotonicClock.NowNs();
    }
}
