using Gpupredict.Core.Apps;

namespace Gpupredict.Core.Pipeline;

/// <summary>
/// Decides what an arriving application gets: the manager's policy rules, matched on what the
/// kernel says about the process. Called once per arrival, on the tick.
/// </summary>
public interface IAdmission
{
    /// <summary>The terms of <paramref name="app"/>, described by <paramref name="identity"/>.</summary>
    AppTerms Admit(AppId app, AppIdentity identity);
}
