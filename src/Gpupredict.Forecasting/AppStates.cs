using Gpupredict.Core.Apps;

namespace Gpupredict.Forecasting;

/// <summary>
/// Per-application streaming state of a forecaster: created on an application's first sample,
/// looked up on every prediction with the one error message all policies give for an unknown
/// application, dropped when it exits.
/// </summary>
/// <typeparam name="TState">The state one application carries.</typeparam>
internal sealed class AppStates<TState>
{
    private readonly Dictionary<AppId, TState> _states = [];

    /// <summary>The state of <paramref name="app"/>, created by <paramref name="create"/>(<paramref name="arg"/>) the first time (a static lambda keeps this allocation-free).</summary>
    public TState GetOrAdd<TArg>(AppId app, TArg arg, Func<TArg, TState> create)
    {
        if (!_states.TryGetValue(app, out TState? state))
        {
            state = create(arg);
            _states.Add(app, state);
        }

        return state;
    }

    /// <summary>The state of <paramref name="app"/>.</summary>
    /// <exception cref="InvalidOperationException">Nothing was observed for <paramref name="app"/>.</exception>
    public TState Get(AppId app) =>
        _states.TryGetValue(app, out TState? state) ? state : throw new InvalidOperationException($"no demand observed for application {app}");

    /// <summary>Drops the state of <paramref name="app"/>.</summary>
    public void Remove(AppId app) => _states.Remove(app);

    /// <summary>Drops every application's state.</summary>
    public void Clear() => _states.Clear();
}
