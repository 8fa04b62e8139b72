using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting.Conformal;
using Gpupredict.Forecasting.Persistence;

namespace Gpupredict.Forecasting;

/// <summary>
/// The forecasting policies a host registered, by name: builds fresh ones and reads saved ones.
/// A name with the <see cref="ConformalQuantileForecaster.Prefix"/> wraps the policy it names in
/// calibrated intervals, whatever that policy is.
/// </summary>
public sealed class ForecasterCatalog : IForecasterCatalog
{
    private readonly Dictionary<string, ForecasterRegistration> _byName = new(StringComparer.Ordinal);

    /// <summary>A catalog of <paramref name="registrations"/> (a later one of the same name replaces an earlier one).</summary>
    public ForecasterCatalog(IEnumerable<ForecasterRegistration> registrations)
    {
        ArgumentNullException.ThrowIfNull(registrations);
        var names = new List<string>();
        foreach (ForecasterRegistration r in registrations)
        {
            if (string.IsNullOrEmpty(r.Name) || r.Name.StartsWith(ConformalQuantileForecaster.Prefix, StringComparison.Ordinal))
            {
                throw new ArgumentException($"a forecaster cannot be registered as '{r.Name}': the name must be non-empty and not start with '{ConformalQuantileForecaster.Prefix}'", nameof(registrations));
            }

            if (!_byName.ContainsKey(r.Name))
            {
                names.Add(r.Name);
            }

            _byName[r.Name] = r;
        }

        names.AddRange(BuiltInForecasters.ListedConformal.Where(_byName.ContainsKey).Select(n => ConformalQuantileForecaster.Prefix + n));
        Names = names;
        ForecastingNames = [.. names.Where(n => !_byName.TryGetValue(n, out ForecasterRegistration? r) || !r.ComparisonOnly)];
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Names { get; }

    /// <summary>The names of forecasters to forecast with: <see cref="Names"/> without the comparison policies' own.</summary>
    public IReadOnlyList<string> ForecastingNames { get; }

    /// <inheritdoc />
    public IForecaster Create(string name, ForecasterSpec spec)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(spec);
        if (name.StartsWith(ConformalQuantileForecaster.Prefix, StringComparison.Ordinal))
        {
            return new ConformalQuantileForecaster(Create(name[ConformalQuantileForecaster.Prefix.Length..], spec));
        }

        return _byName.TryGetValue(name, out ForecasterRegistration? r)
            ? r.Create(spec)
            : throw new ArgumentException($"unknown forecaster '{name}'; known: {string.Join(", ", Names)}", nameof(name));
    }

    /// <summary>Whether a saved forecaster of <paramref name="name"/> can be read back; when not, <paramref name="why"/> says why.</summary>
    public bool IsLoadable(string name, out string? why)
    {
        ArgumentNullException.ThrowIfNull(name);
        string inner = name.StartsWith(ConformalQuantileForecaster.Prefix, StringComparison.Ordinal) ? name[ConformalQuantileForecaster.Prefix.Length..] : name;
        why = !_byName.TryGetValue(inner, out ForecasterRegistration? r) ? $"unknown forecaster '{inner}'" : r.Load is null ? r.NotLoadable ?? "it cannot be saved" : null;
        return why is null;
    }

    /// <summary>Reads a forecaster saved with <see cref="IForecaster.Save"/>.</summary>
    /// <exception cref="ForecasterFormatException">Not a saved forecaster, an unknown or unloadable policy or version, or truncated.</exception>
    public IForecaster Load(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        using var reader = new BinaryReader(source, System.Text.Encoding.UTF8, leaveOpen: true);
        (string policy, ushort version) = ForecasterFile.ReadHeader(reader);
        try
        {
            if (policy.StartsWith(ConformalQuantileForecaster.Prefix, StringComparison.Ordinal))
            {
                return ConformalQuantileForecaster.Load(reader, policy, version, Load);
            }

            if (!_byName.TryGetValue(policy, out ForecasterRegistration? r))
            {
                throw new ForecasterFormatException($"saved forecaster names policy '{policy}'; known: {string.Join(", ", Names)}");
            }

            return r.Load is { } load ? load(reader, policy, version) : throw new ForecasterFormatException($"saved '{policy}' forecaster cannot be loaded: {r.NotLoadable}");
        }
        catch (EndOfStreamException)
        {
            throw new ForecasterFormatException($"saved '{policy}' forecaster is truncated");
        }
        catch (ArgumentException e)
        {
            throw new ForecasterFormatException($"saved '{policy}' forecaster holds invalid parameters: {e.Message}");
        }
    }
}
