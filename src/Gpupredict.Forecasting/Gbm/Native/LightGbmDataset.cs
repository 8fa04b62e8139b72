namespace Gpupredict.Forecasting.Gbm.Native;

/// <summary>A binned LightGBM training set built from a dense row-major float64 matrix, with float32 labels.</summary>
internal sealed class LightGbmDataset : IDisposable
{
    private LightGbmDataset(LightGbmDatasetHandle handle, int rows, int columns)
    {
        Handle = handle;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>The native handle (boosters keep a pointer to it while they train).</summary>
    public LightGbmDatasetHandle Handle { get; }

    /// <summary>Rows (training examples).</summary>
    public int Rows { get; }

    /// <summary>Columns (features).</summary>
    public int Columns { get; }

    /// <summary>Bins <paramref name="matrix"/> (<paramref name="rows"/> × <paramref name="columns"/>, row-major); the span is not kept.</summary>
    /// <exception cref="LightGbmException">LightGBM rejected the matrix or a parameter.</exception>
    public static LightGbmDataset FromMatrix(ReadOnlySpan<double> matrix, int rows, int columns, string parameters)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        if (matrix.Length != (long)rows * columns)
        {
            throw new ArgumentException($"matrix has {matrix.Length} values, expected {rows} x {columns}", nameof(matrix));
        }

        LightGbm.Silence();
        int rc = LightGbmNative.DatasetCreateFromMat(matrix, LightGbmNative.DtypeFloat64, rows, columns, isRowMajor: 1, parameters, reference: 0, out LightGbmDatasetHandle handle);
        if (rc != 0)
        {
            handle.Dispose();
            LightGbm.Check(rc, "LGBM_DatasetCreateFromMat");
        }

        return new LightGbmDataset(handle, rows, columns);
    }

    /// <summary>Sets the regression target, one value per row (copied).</summary>
    /// <exception cref="LightGbmException">LightGBM rejected the field.</exception>
    public void SetLabels(ReadOnlySpan<float> labels)
    {
        if (labels.Length != Rows)
        {
            throw new ArgumentException($"{labels.Length} labels for {Rows} rows", nameof(labels));
        }

        LightGbm.Check(LightGbmNative.DatasetSetField(Handle, "label", labels, labels.Length, LightGbmNative.DtypeFloat32), "LGBM_DatasetSetField");
    }

    /// <inheritdoc />
    public void Dispose() => Handle.Dispose();
}
