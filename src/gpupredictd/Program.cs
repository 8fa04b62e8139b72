using System.CommandLine;
using Gpupredict.Daemon.Config;
using Gpupredict.Daemon.Hosting;

// gpupredictd [--config FILE] [--runtime-dir DIR] [--gpus SPEC] [--check] [--summary]
var config = new Option<string?>("--config") { Description = $"the configuration file (default {DaemonConfig.DefaultPath}; absent = built-in defaults)" };
var runtimeDir = new Option<string?>("--runtime-dir") { Description = "overrides runtime_dir: where the registration socket and status.json go (run unprivileged on a private directory)" };
var gpus = new Option<string?>("--gpus") { Description = "overrides gpus: auto (NVML) or a declared inventory such as \"4 x H100 80GB\"" };
var check = new Option<bool>("--check") { Description = "validate the configuration and the policies, print what would run, and exit" };
var summary = new Option<bool>("--summary") { Description = "at exit, print what the daemon saw and did (applications, events, forecasts, grants, denials, pre-mapped hits, tick lateness)" };
var root = new RootCommand("gpupredictd: forecasts every CUDA application's GPU demand 10 ms at a time and allocates ahead of it (docs/daemon.md)")
{
    config, runtimeDir, gpus, check, summary,
};
root.SetAction((parse, cancellationToken) => DaemonProgram.RunAsync(
    new DaemonArguments(parse.GetValue(config), parse.GetValue(runtimeDir), parse.GetValue(gpus), parse.GetValue(check), parse.GetValue(summary)),
    Console.Out,
    Console.Error,
    cancellationToken));
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
