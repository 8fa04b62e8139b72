using Gpupredict.Manager.Planning.Baselines;

namespace Gpupredict.Manager.Planning;

/// <summary>
/// The planning policies this build ships, each once. <see cref="PlannerCatalog"/> and the host's
/// registrations (<see cref="ManagerServiceCollectionExtensions.AddPlanners"/>) both read this list.
/// </summary>
/// <remarks>
/// <see cref="ReactivePlanner"/> and <see cref="OraclePlanner"/> size to their forecast's highest
/// level and mean what their names say only with the forecaster they are meant for (a windowed
/// summary of the past; the true future): the replay's comparison policies pair them.
/// </remarks>
public static class BuiltInPlanners
{
    /// <summary>The registrations, in the order names are listed.</summary>
    public static IReadOnlyList<PlannerRegistration> All { get; } =
    [
        new(StaticPeakPlanner.PolicyName, _ => new StaticPeakPlanner()),
        new(ForecastPlanner.PolicyName, o => new ForecastPlanner(o)),
        new(ReactivePlanner.PolicyName, _ => new ReactivePlanner()),
        new(HamiPlanner.PolicyName, _ => new HamiPlanner()),
        new(OraclePlanner.PolicyName, _ => new OraclePlanner()),
    ];
}
