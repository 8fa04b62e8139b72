using Gpupredict.Ctl;
using Gpupredict.Ctl.Commands;
using Gpupredict.Enforcement;
using Gpupredict.Forecasting;
using Gpupredict.Manager;
using Gpupredict.Simulation;
using Gpupredict.Telemetry.Traces;
using Microsoft.Extensions.Hosting;

// gpupredictctl: the command-line front of gpupredictd.
//   replay  recorded traces -> forecaster -> planner -> simulated node -> report
//   import  what a trace holds, and its 10 ms demand series
//   backtest  forecasters scored on recorded demand (traces, Alibaba GenAI per-pod series)
//   train   a forecaster fitted on recorded demand, saved for replay --model
// Exit codes: 0 success, 1 bad input (one line naming the file and the problem), 2 usage, 130 interrupted.
const string Help = """
    gpupredictctl - GPU demand forecasting and allocation, from the command line

    usage: gpupredictctl COMMAND [options] ...
    commands:
      replay    replay recorded traces through the pipeline on a simulated GPU node
      import    import traces and show what they hold
      backtest  score forecasters on recorded demand: pinball loss, MAE, interval coverage
      train     fit a forecaster on recorded demand and save it for replay --model
      help      show this text, or a command's: gpupredictctl help replay
    """;

// The host's services: every named policy is registered once (AddXxx per feature) and looked up by name.
HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { Args = args });
builder.Services.AddForecasters().AddPlanners().AddBackends().AddComparisonPolicies();
using IHost host = builder.Build();

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var flags = new HashSet<string>(StringComparer.Ordinal) { "--help", "--details", "--no-activity", "--per-horizon", "--mps", "--sweep" };
string command = args.Length > 0 ? args[0] : "help";
try
{
    var reader = new ArgReader(args.Skip(1), flags);
    if (reader.Flag("--help") || command is "help" or "--help" or "-h")
    {
        string topic = command is "help" or "--help" or "-h" ? (reader.Positional.Count > 0 ? reader.Positional[0] : "") : command;
        Console.Out.WriteLine(topic switch { "replay" => ReplayCommand.Usage, "import" => ImportCommand.Usage, "backtest" => BacktestCommand.Usage, "train" => TrainCommand.Usage, _ => Help });
        return 0;
    }

    return command switch
    {
        "replay" => ReplayCommand.Run(reader, host.Services, Console.Out, Console.Error, cancel.Token),
        "import" => ImportCommand.Run(reader, Console.Out, cancel.Token),
        "backtest" => BacktestCommand.Run(reader, Console.Out, Console.Error, cancel.Token),
        "train" => TrainCommand.Run(reader, Console.Out, Console.Error, cancel.Token),
        _ => throw new UsageException($"unknown command '{command}'"),
    };
}
catch (UsageException e)
{
    Console.Error.WriteLine($"gpupredictctl: {e.Message}");
    Console.Error.WriteLine("try 'gpupredictctl help'");
    return 2;
}
catch (Exception e) when (e is TraceFormatException or Gpupredict.Forecasting.Persistence.ForecasterFormatException)
{
    Console.Error.WriteLine($"gpupredictctl: {e.Message}");
    return 1;
}
catch (IOException e)
{
    Console.Error.WriteLine($"gpupredictctl: {e.Message}");
    return 1;
}
catch (UnauthorizedAccessException e)
{
    Console.Error.WriteLine($"gpupredictctl: {e.Message}");
    return 1;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("gpupredictctl: interrupted");
    return 130;
}
