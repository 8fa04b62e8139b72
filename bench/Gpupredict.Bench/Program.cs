using BenchmarkDotNet.Running;

// Pick benchmarks on the command line, e.g. `--filter '*StepBatch*' --job short`.
BenchmarkSwitcher.FromAssembly(typeof(Gpupredict.Bench.LstmStepBatchBenchmark).Assembly).Run(args);
