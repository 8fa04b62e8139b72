using System.Text;

namespace Gpupredict.Forecasting.Gbm.Native;

/// <summary>A LightGBM booster: trained round by round, scored one row at a time, saved as model text.</summary>
internal sealed class LightGbmBooster : IDisposable
{
    private readonly LightGbmBoosterHandle _handle;
    private readonly double[] _one = new double[1];
    private LightGbmFastConfigHandle? _fast;

    private LightGbmBooster(LightGbmBoosterHandle handle, int columns)
    {
        _handle = handle;
        Columns = columns;
    }

    /// <summary>Features each scored row must have.</summary>
    public int Columns { get; }

    /// <summary>A booster over <paramref name="training"/>, which must stay alive while <see cref="UpdateOneIteration"/> is called.</summary>
    /// <exception cref="LightGbmException">A parameter is unknown or invalid; the message is LightGBM's.</exception>
    public static LightGbmBooster Create(LightGbmDataset training, string parameters)
    {
        ArgumentNullException.ThrowIfNull(training);
        LightGbm.Silence();
        int rc = LightGbmNative.BoosterCreate(training.Handle, parameters, out LightGbmBoosterHandle handle);
        if (rc != 0)
        {
            handle.Dispose();
            LightGbm.Check(rc, "LGBM_BoosterCreate");
        }

        return new LightGbmBooster(handle, training.Columns);
    }

    /// <summary>Parses model text written by <see cref="SaveToString"/>, checked in managed code first (<see cref="LightGbmModelText"/>).</summary>
    /// <param name="model">The model text.</param>
    /// <param name="columns">Features per row the model was trained on (the model text must record the same).</param>
    /// <exception cref="FormatException">The text fails the managed check; it never reached LightGBM.</exception>
    /// <exception cref="LightGbmException">LightGBM refused the text.</exception>
    public static LightGbmBooster LoadFromString(string model, int columns)
    {
        ArgumentNullException.ThrowIfNull(model);
        LightGbmModelText.Check(model, columns);
        LightGbm.Silence();
        int rc = LightGbmNative.BoosterLoadModelFromString(model, out _, out LightGbmBoosterHandle handle);
        if (rc != 0)
        {
            handle.Dispose();
            LightGbm.Check(rc, "LGBM_BoosterLoadModelFromString");
        }

        return new LightGbmBooster(handle, columns);
    }

    /// <summary>Runs one boosting round; false when LightGBM reports it can split no further.</summary>
    /// <exception cref="LightGbmException">Training failed.</exception>
    public bool UpdateOneIteration()
    {
        LightGbm.Check(LightGbmNative.BoosterUpdateOneIter(_handle, out int finished), "LGBM_BoosterUpdateOneIter");
        return finished == 0;
    }

    /// <summary>The model's output for one row of <see cref="Columns"/> features; allocates nothing.</summary>
    /// <exception cref="LightGbmException">Scoring failed.</exception>
    public double PredictRow(ReadOnlySpan<double> row)
    {
        if (row.Length != Columns)
        {
            throw new ArgumentException($"row has {row.Length} features, the model {Columns}", nameof(row));
        }

        _fast ??= FastConfig();
        LightGbm.Check(LightGbmNative.BoosterPredictForMatSingleRowFast(_fast, row, out _, _one), "LGBM_BoosterPredictForMatSingleRowFast");
        return _one[0];
    }

    /// <summary>The same as <see cref="PredictRow"/> through the slower path that parses its setup on every call.</summary>
    /// <exception cref="LightGbmException">Scoring failed.</exception>
    public double PredictRowParsed(ReadOnlySpan<double> row)
    {
        if (row.Length != Columns)
        {
            throw new ArgumentException($"row has {row.Length} features, the model {Columns}", nameof(row));
        }

        LightGbm.Check(
            LightGbmNative.BoosterPredictForMatSingleRow(_handle, row, LightGbmNative.DtypeFloat64, Columns, isRowMajor: 1, LightGbmNative.PredictNormal, startIteration: 0, iterations: -1, string.Empty, out _, _one),
            "LGBM_BoosterPredictForMatSingleRow");
        return _one[0];
    }

    /// <summary>The whole model as LightGBM's text format (all iterations).</summary>
    /// <exception cref="LightGbmException">Serialisation failed.</exception>
    public string SaveToString()
    {
        LightGbm.Check(LightGbmNative.BoosterSaveModelToString(_handle, 0, -1, LightGbmNative.FeatureImportanceSplit, 0, out long needed, []), "LGBM_BoosterSaveModelToString");
        byte[] buffer = new byte[checked((int)needed)];
        LightGbm.Check(LightGbmNative.BoosterSaveModelToString(_handle, 0, -1, LightGbmNative.FeatureImportanceSplit, buffer.Length, out long written, buffer), "LGBM_BoosterSaveModelToString");
        int length = (int)Math.Min(written, buffer.Length);
        return Encoding.UTF8.GetString(buffer, 0, length > 0 && buffer[length - 1] == 0 ? length - 1 : length);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _fast?.Dispose();
        _handle.Dispose();
    }

    private LightGbmFastConfigHandle FastConfig()
    {
        int rc = LightGbmNative.BoosterPredictForMatSingleRowFastInit(_handle, LightGbmNative.PredictNormal, startIteration: 0, iterations: -1, LightGbmNative.DtypeFloat64, Columns, string.Empty, out LightGbmFastConfigHandle config);
        if (rc != 0)
        {
            config.Dispose();
            LightGbm.Check(rc, "LGBM_BoosterPredictForMatSingleRowFastInit");
        }

        config.Attach(_handle);
        return config;
    }
}
