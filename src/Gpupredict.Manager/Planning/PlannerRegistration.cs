using Gpupredict.Core.Planning;

namespace Gpupredict.Manager.Planning;

/// <summary>A planning policy as a host registers it (<see cref="ManagerServiceCollectionExtensions.AddPlanner"/>): its name and how to build one with the node's planner options.</summary>
/// <param name="Name">The name configuration and reports use.</param>
/// <param name="Create">Builds a planner; policies that take no options ignore them.</param>
public sealed record PlannerRegistration(string Name, Func<ForecastPlannerOptions, IPlanner> Create);
