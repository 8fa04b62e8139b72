namespace Gpupredict.Bench.Daemon;

/// <summary>
/// <c>daemon [ingest|tick|rss [RING_SLOTS...]|rejoin [N]|all]</c>: the live daemon's figures (see each part). Needs the
/// Release build of the solution and of <c>native/</c> (loadgen, the interposer, the libcuda test
/// double) for tick, rss and rejoin.
/// </summary>
internal static class DaemonBench
{
    public const string Verb = "daemon";

    public static string RepoRoot { get; } = FindRoot();

    public static int Run(string[] args)
    {
        string what = args.Length > 1 ? args[1] : "all";
        Console.WriteLine($"machine: {Machine()}, {Environment.ProcessorCount} vCPUs, .NET {Environment.Version}");
        if (what is "ingest" or "all")
        {
            Console.WriteLine("== events ingested end to end");
            IngestBench.Run(seconds: 3);
        }

        if (what is "tick" or "all")
        {
            Console.WriteLine("== tick duration, exit -> release");
            TickBench.Run(ticks: 1000, exits: 200);
        }

        if (what is "rss" or "all")
        {
            Console.WriteLine("== daemon memory");
            uint[] slots = args.Length > 2 ? [.. args[2..].Select(a => uint.Parse(a, System.Globalization.CultureInfo.InvariantCulture))] : [65536, 8192];
            RssBench.Run(256, slots);
        }

        if (what is "rejoin" or "all")
        {
            Console.WriteLine("== restart re-joined");
            RejoinBench.Run(args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 32, rounds: 5);
        }

        return 0;
    }

    private static string Machine()
    {
        string? model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return model is null ? "unknown CPU" : model.Split(':', 2)[1].Trim();
    }

    private static string FindRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "gpupredictd.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? Directory.GetCurrentDirectory();
    }
}
