using Gpupredict.Core.Apps;
using Gpupredict.Core.Demand;

namespace Gpupredict.Core.Pipeline;

/// <summary>An application the source saw for the first time.</summary>
/// <param name="App">Its identity on the node (pid and start time).</param>
/// <param name="Identity">What the kernel says about it: what its policy rule is matched on.</param>
/// <param name="Name">A human name for reports and logs.</param>
/// <param name="DeclaredPeak">The demand it declares it will peak at (a recorded series' peak; a job's request), or zero when unknown.</param>
/// <param name="GpuHint">The GPU it runs on before its first grant (a replay places it; a live application picks its own).</param>
public readonly record struct AppArrival(AppId App, AppIdentity Identity, string Name, ResourceVector DeclaredPeak, int GpuHint);
