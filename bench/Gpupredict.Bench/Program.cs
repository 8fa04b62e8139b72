using BenchmarkDotNet.Running;
using Gpupredict.Bench;

// `replay-throughput [FOLDER] [ROUNDS]`: whole replays of the Alibaba pods at 1x, 2x and 4x (see ReplayThroughput).
// Otherwise pick BenchmarkDotNet benchmarks on the command line, e.g. `--filter '*StepBatch*' --job short`.
if (args.Length > 0 && args[0] == ReplayThroughput.Verb)
{
    return ReplayThroughput.Run(args);
}

BenchmarkSwitcher.FromAssembly(typeof(LstmStepBatchBenchmark).Assembly).Run(args);
return 0;
