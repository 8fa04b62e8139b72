using Gpupredict.Core.Enforcement;

namespace Gpupredict.Enforcement;

/// <summary>An enforcement backend as a host registers it (<see cref="EnforcementServiceCollectionExtensions.AddBackend"/>): its name and how to build it.</summary>
/// <param name="Name">The name configuration uses.</param>
/// <param name="Create">Builds the backend; throws <see cref="ArgumentException"/> for options it cannot work with (the message says which).</param>
public sealed record BackendRegistration(string Name, Func<BackendOptions, IEnforcementBackend> Create);
