using System.Globalization;

namespace Gpupredict.Bench.Daemon;

/// <summary>
/// The daemon's memory: the real process idle, then with 256 registered loadgen applications, at
/// the default ring_slots (65536: 8 MiB a ring) and smaller. Reads VmRSS and its parts (RssAnon,
/// RssFile, RssShmem: the rings and control blocks are memfd pages, shared with the applications)
/// and Pss from smaps_rollup (shared pages split between their mappers).
/// </summary>
internal static class RssBench
{
    public static void Run(int applications, uint[] ringSlots)
    {
        Console.WriteLine($"gpupredictd (Release) with --gpus \"4 x H100 80GB\"; {applications} loadgen processes under the interposer; MiB");
        Console.WriteLine("ring_slots  applications    VmRSS  RssAnon  RssFile  RssShmem      Pss");
        foreach (uint slots in ringSlots)
        {
            string dir = Directory.CreateTempSubdirectory("gpupredict-bench-").FullName;
            using var daemon = DaemonRun.Start(dir, $"ring_slots: {slots}\n");
            daemon.WaitListening();
            Thread.Sleep(3000);
            Print(slots, 0, daemon.Memory());
            using (var apps = new Loadgens(dir))
            {
                for (int i = 0; i < applications; i++)
                {
                    apps.Start(daemon.Socket);
                }

                long deadline = Environment.TickCount64 + 120_000;
                while (daemon.Registrations < applications && Environment.TickCount64 < deadline)
                {
                    Thread.Sleep(100);
                }

                Thread.Sleep(5000);
                Print(slots, daemon.Registrations, daemon.Memory());
            }

            daemon.Terminate();
            Directory.Delete(dir, true);
        }
    }

    private static void Print(uint slots, int apps, Dictionary<string, long> kb)
    {
        static string M(Dictionary<string, long> kb, string key) => kb.TryGetValue(key, out long v) ? (v / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) : "-";
        Console.WriteLine($"{slots,10}  {apps,12}  {M(kb, "status.VmRSS"),7}  {M(kb, "status.RssAnon"),7}  {M(kb, "status.RssFile"),7}  {M(kb, "status.RssShmem"),8}  {M(kb, "smaps_rollup.Pss"),7}");
    }
}
