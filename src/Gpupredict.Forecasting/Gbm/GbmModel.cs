using Gpupredict.Core.Demand;
using Gpupredict.Forecasting.Gbm.Native;
using Gpupredict.Forecasting.Persistence;

namespace Gpupredict.Forecasting.Gbm;

/// <summary>
/// The fitted boosters: one per (resource, level, anchor step), each predicting the change of its
/// resource, in the normalised space, from the newest observed step to the anchor step.
/// Boosters are always ones parsed from model text, so a fitted model and its saved-and-loaded
/// copy score identically.
/// </summary>
internal sealed class GbmModel : IDisposable
{
    private readonly LightGbmBooster[] _boosters;
    private readonly int _levels;

    /// <summary>Takes <paramref name="boosters"/>, laid out [resource][level][anchor].</summary>
    public GbmModel(int[] anchors, int levels, LightGbmBooster[] boosters)
    {
        if (boosters.Length != Resources.Count * levels * anchors.Length)
        {
            throw new ArgumentException($"{boosters.Length} boosters for {Resources.Count} resources x {levels} levels x {anchors.Length} anchors", nameof(boosters));
        }

        Anchors = anchors;
        _levels = levels;
        _boosters = boosters;
    }

    /// <summary>The anchor steps (1-based) the boosters forecast.</summary>
    public int[] Anchors { get; }

    /// <summary>The predicted normalised change of <paramref name="resource"/> at anchor <paramref name="anchor"/> for level index <paramref name="level"/>.</summary>
    public double PredictChange(Resource resource, int level, int anchor, ReadOnlySpan<double> features) =>
        _boosters[Index(resource, level, anchor)].PredictRow(features);

    /// <summary>Writes the anchors and every booster's model text.</summary>
    public void Write(BinaryWriter writer)
    {
        writer.Write(Anchors.Length);
        foreach (int anchor in Anchors)
        {
            writer.Write(anchor);
        }

        foreach (LightGbmBooster booster in _boosters)
        {
            writer.Write(booster.SaveToString());
        }
    }

    /// <summary>Reads what <see cref="Write"/> wrote for <paramref name="horizon"/> and <paramref name="levels"/> levels.</summary>
    /// <exception cref="ForecasterFormatException">The anchors do not match the horizon, or a model text fails the managed check or does not parse.</exception>
    public static GbmModel Read(BinaryReader reader, int horizon, int levels, string policy)
    {
        int[] expected = GbmAnchors.For(horizon);
        int count = reader.ReadInt32();
        if (count != expected.Length)
        {
            throw new ForecasterFormatException($"saved '{policy}' forecaster has {count} anchor steps, expected {expected.Length} for horizon {horizon}");
        }

        for (int a = 0; a < count; a++)
        {
            int anchor = reader.ReadInt32();
            if (anchor != expected[a])
            {
                throw new ForecasterFormatException($"saved '{policy}' forecaster anchor [{a}] is step {anchor}, expected {expected[a]}");
            }
        }

        var boosters = new LightGbmBooster[Resources.Count * levels * count];
        try
        {
            for (int i = 0; i < boosters.Length; i++)
            {
                boosters[i] = LightGbmBooster.LoadFromString(reader.ReadString(), GbmFeatures.Count);
            }
        }
        catch (Exception e) when (e is LightGbmException or FormatException or EndOfStreamException)
        {
            foreach (LightGbmBooster? b in boosters)
            {
                b?.Dispose();
            }

            if (e is EndOfStreamException)
            {
                throw;
            }

            throw new ForecasterFormatException(e is FormatException
                ? $"saved '{policy}' forecaster holds a model text that is not a LightGBM model of its {GbmFeatures.Count} features: {e.Message}"
                : $"saved '{policy}' forecaster holds a model LightGBM cannot read: {e.Message}");
        }

        return new GbmModel(expected, levels, boosters);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (LightGbmBooster booster in _boosters)
        {
            booster.Dispose();
        }
    }

    private int Index(Resource resource, int level, int anchor) => ((((int)resource * _levels) + level) * Anchors.Length) + anchor;
}
