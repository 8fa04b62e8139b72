using Gpupredict.Core.Apps;

namespace Gpupredict.Core.Pipeline;

/// <summary>An application the tick admitted, with the terms policy gave it.</summary>
/// <param name="App">The application.</param>
/// <param name="Name">Its human name.</param>
/// <param name="Terms">Its priority, constraints and the rule that matched.</param>
public readonly record struct AppAdmitted(AppId App, string Name, AppTerms Terms);
