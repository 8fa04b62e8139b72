using Gpupredict.Core.Forecasts;
using Gpupredict.Core.Registry;
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
    private readonly NamedCatalog<ForecasterRegistration> _catalog;

    /// <summary>A catalog of <paramref name="registrations"/> (a later one of the same name replaces an earlier one).</summary>
    /// <exception cref="ArgumentException">A name is empty or starts with the conformal prefix.</exception>
    public ForecasterCatalog(IEnumerable<ForecasterRegistration> registrations)
    {
        ArgumentNullException.ThrowIfNull(registrations);
        ForecasterRegistration[] all = [.. registrations];
        if (all.FirstOrDefault(r => r.Name.StartsWith(ConformalQuantileForecaster.Prefix, StringComparison.Ordinal)) is { } wrapped)
        {
            throw new ArgumentException($"a forecaster cannot be registered as '{wrapped.Name}': names starting with '{ConformalQuantileForecaster.Prefix}' wrap another forecaster", nameof(registrations));
        }

        _catalog = new NamedCatalog<ForecasterRegistration>(all, r => r.Name, "forecaster");
        Names = [.. _catalog.Names, .. BuiltInForecasters.ListedConformal.Where(n => _catalog.Find(n) is not null).Select(n => ConformalQuantileForecaster.Prefix + n)];
        ForecastingNames = [.. Names.Where(n => _catalog.Find(n) is not { ComparisonOnly: true })];
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

        return _catalog.Find(name) is { } r ? r.Create(spec) : throw new ArgumentException($"unknown forecaster '{name}'; known: {string.Join(", ", Names)}", nameof(name));
    }

    /// <summary>Whether a saved forecaster of <paramref name="name"/> can be read back; when not, <paramref name="why"/> says why.</summary>
    public bool IsLoadable(string name, out string? why)
    {
        ArgumentNullException.ThrowIfNull(name);
        string inner = name.StartsWith(ConformalQuantileForecaster.Prefix, StringComparison.Ordinal) ? name[ConformalQuantileForecaster.Prefix.Length..] : name;
        ForecasterRegistration? r = _catalog.Find(inner);
        why = r is null ? $"unknown forecaster '{inner}'" : r.Load is null ? r.NotLoadable ?? "it cannot be saved" : null;
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

            ForecasterRegistration r = _catalog.Find(policy) ?? throw new ForecasterFormatException($"saved forecaster names policy '{policy}'; known: {string.Join(", ", Names)}");

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
