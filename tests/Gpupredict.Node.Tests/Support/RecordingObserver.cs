using Gpupredict.Core.Pipeline;

namespace Gpupredict.Node.Tests.Support;

/// <summary>Copies what each tick reported (the record itself is reused).</summary>
internal sealed class RecordingObserver : ITickObserver
{
    public List<(long Step, string[] Admitted, string[] Released, string[] Grants, string[] Completions, string[] Errors, int Requests)> Ticks { get; } = [];

    public void OnTick(TickRecord record) => Ticks.Add((
        record.Step,
        [.. record.Admitted.ToArray().Select(a => $"{a.App.Pid}:{a.Terms.Rule}")],
        [.. record.Released.ToArray().Select(a => $"{a.Pid}")],
        [.. record.Grants.ToArray().Select(g => $"{g.Allocation.App.Pid}:{(g.Result.Applied ? "ok" : "refused")}")],
        [.. record.Completions.ToArray().Select(c => $"{c.Action.Kind} {c.Action.App.Pid}@{c.IssuedStep}:{(c.Result.Applied ? "ok" : "failed")}")],
        [.. record.Errors],
        record.Requests.Count));
}
