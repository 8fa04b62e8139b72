using BenchmarkDotNet.Running;
using Gpupredict.Bench;
using Gpupredict.Bench.Daemon;

// `replay-throughput [FOLDER] [ROUNDS]`: whole replays of the Alibaba pods at 1x, 2x and 4x (see ReplayThroughput).
// `daemon [ingest|tick|rss [RING_SLOTS...]|rejoin [N]|all]`: the live daemon's figures (see DaemonBench).
// Otherwise pick BenchmarkDotNet benchmarks on the command line, e.g. `--filter '*StepBatch*' --job short`.
if (args.Length > 0 && args[0] == ReplayThroughput.Verb)
{
    return ReplayThroughput.Run(args);
}

if (args.Length > 0 && args[0] == DaemonBench.Verb)
{
    return DaemonBench.Run(args);
}

BenchmarkSwitcher.FromAssembly(typeof(LstmStepBatchBenchmark).Assembly).Run(args);
return 0;
