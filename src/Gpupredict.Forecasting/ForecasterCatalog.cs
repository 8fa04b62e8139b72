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

    /// <summary>Reads a forecaster saved with <see cref="IForecaster.Save"/> from <paramref name="source"/>, to its end.</summary>
    /// <remarks>The whole file is read and its checksum verified (<see cref="ForecasterFile.Open"/>) before the policy parses a byte of it.</remarks>
    /// <exception cref="ForecasterFormatException">Not a saved forecaster, damaged (checksum), truncated, an unknown or unloadable policy or version, or a payload its policy refuses.</exception>
    public IForecaster Load(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        (string policy, ushort version, BinaryReader reader) = ForecasterFile.Open(source);
        using (reader)
        {
            try
            {
                IForecaster loaded = LoadPayload(reader, policy, version);
                ForecasterFile.RequireEnd(reader, policy);
                return loaded;
            }
            catch (EndOfStreamException)
            {
                throw new ForecasterFormatException($"saved '{policy}' forecaster has a payload shorter than its policy reads");
            }
            catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
            {
                throw new ForecasterFormatException($"saved '{policy}' forecaster holds invalid parameters: {e.Message}");
            }
        }
    }

    /// <summary>Reads the forecaster saved at <paramref name="path"/>; every refusal names the file.</summary>
    /// <exception cref="ForecasterFormatException">As <see cref="Load(Stream)"/>, the message starting with <paramref name="path"/>.</exception>
    /// <exception cref="IOException">The file cannot be read (the message names it).</exception>
    /// <exception cref="UnauthorizedAccessException">The file may not be read.</exception>
    public IForecaster Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using FileStream stream = File.OpenRead(path);
        try
        {
            return Load(stream);
        }
        catch (ForecasterFormatException e)
        {
            throw e.InFile(path);
        }
    }

    private IForecaster LoadPayload(BinaryReader reader, string policy, ushort version)
    {
        if (policy.StartsWith(ConformalQuantileForecaster.Prefix, StringComparison.Ordinal))
        {
            return ConformalQuantileForecaster.Load(reader, policy, version, Load);
        }

        ForecasterRegistration r = _catalog.Find(policy) ?? throw new ForecasterFormatException($"saved forecaster names policy '{policy}'; known: {string.Join(", ", Names)}");

        return r.Load is { } load ? load(reader, policy, version) : throw new ForecasterFormatException($"saved '{policy}' forecaster cannot be loaded: {r.NotLoadable}");
    }
}
