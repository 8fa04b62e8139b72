using Gpupredict.Core.Apps;
using Gpupredict.Core.Pipeline;

namespace Gpupredict.Simulation.Replay;

/// <summary>
/// Admission by what a replay's applications already carry (<see cref="ReplayApp.Priority"/> and
/// <see cref="ReplayApp.Constraints"/>): for replays composed without a policy set, such as tests
/// that give each application its terms. With policies, the manager's admission decides instead.
/// </summary>
public sealed class RecordedTerms : IAdmission
{
    /// <summary>The rule label these terms report.</summary>
    public const string Rule = "recorded";

    private readonly Dictionary<AppId, AppTerms> _terms = [];

    /// <summary>The terms of <paramref name="apps"/>.</summary>
    public RecordedTerms(IReadOnlyList<ReplayApp> apps)
    {
        ArgumentNullException.ThrowIfNull(apps);
        foreach (ReplayApp app in apps)
        {
            _terms[app.Series.App] = new AppTerms(app.Priority, app.Constraints ?? Core.Planning.PlanConstraints.None, Rule);
        }
    }

    /// <inheritdoc />
    public AppTerms Admit(AppId app, AppIdentity identity) => _terms.TryGetValue(app, out AppTerms? terms) ? terms : AppTerms.Default;
}
