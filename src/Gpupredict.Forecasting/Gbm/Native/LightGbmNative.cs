using System.Runtime.InteropServices;

namespace Gpupredict.Forecasting.Gbm.Native;

/// <summary>
/// The slice of LightGBM's C API (<c>include/LightGBM/c_api.h</c>, v4) this project calls, bound to
/// <c>lib_lightgbm</c> from the <c>LightGBM</c> NuGet package (which links <c>libgomp.so.1</c>).
/// Every function returns 0 on success and -1 on failure, with the message left for
/// <see cref="GetLastError"/> on the calling thread. Nothing here throws: <see cref="LightGbm"/>
/// turns return codes into exceptions, and the handle types own what these calls create.
/// </summary>
internal static partial class LightGbmNative
{
    /// <summary>The native library's name as the loader probes it (<c>lib_lightgbm.so</c> on Linux).</summary>
    public const string Library = "lib_lightgbm";

    /// <summary><c>C_API_DTYPE_FLOAT32</c>: the element type of <c>label</c> fields.</summary>
    public const int DtypeFloat32 = 0;

    /// <summary><c>C_API_DTYPE_FLOAT64</c>: the element type of our feature matrices.</summary>
    public const int DtypeFloat64 = 1;

    /// <summary><c>C_API_PREDICT_NORMAL</c>: the transformed score (for quantile regression, the quantile itself).</summary>
    public const int PredictNormal = 0;

    /// <summary><c>C_API_FEATURE_IMPORTANCE_SPLIT</c>: the importance type written into saved models.</summary>
    public const int FeatureImportanceSplit = 0;

    /// <summary>
    /// <c>const char* LGBM_GetLastError()</c>: the last error of this thread, a NUL-terminated string
    /// in a thread-local buffer the library owns (never freed by the caller, overwritten by the next error).
    /// </summary>
    [LibraryImport(Library, EntryPoint = "LGBM_GetLastError")]
    public static partial nint GetLastError();

    /// <summary>
    /// <c>int LGBM_DatasetCreateFromMat(const void* data, int data_type, int32_t nrow, int32_t ncol,
    /// int is_row_major, const char* parameters, const DatasetHandle reference, DatasetHandle* out)</c>:
    /// bins a dense matrix into a new dataset; <paramref name="data"/> is read during the call only.
    /// <paramref name="reference"/> is another dataset whose bin mappers are reused, or null.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "LGBM_DatasetCreateFromMat", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int DatasetCreateFromMat(ReadOnlySpan<double> data, int dataType, int rows, int columns, int isRowMajor, string parameters, nint reference, out LightGbmDatasetHandle dataset);

    /// <summary>
    /// <c>int LGBM_DatasetSetField(DatasetHandle handle, const char* field_name, const void* field_data,
    /// int num_element, int type)</c>: copies a per-row field (<c>"label"</c> must be float32) into the dataset.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "LGBM_DatasetSetField", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int DatasetSetField(LightGbmDatasetHandle dataset, string fieldName, ReadOnlySpan<float> data, int count, int dataType);

    /// <summary><c>int LGBM_DatasetFree(DatasetHandle handle)</c>: frees a dataset; no booster may still train on it.</summary>
    [LibraryImport(Library, EntryPoint = "LGBM_DatasetFree")]
    public static partial int DatasetFree(nint dataset);

    /// <summary>
    /// <c>int LGBM_BoosterCreate(const DatasetHandle train_data, const char* parameters, BoosterHandle* out)</c>:
    /// a new booster that keeps a pointer to <paramref name="trainData"/>, which must outlive its training.
    /// Unknown or invalid parameters fail here, with LightGBM's message.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "LGBM_BoosterCreate", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int BoosterCreate(LightGbmDatasetHandle trainData, string parameters, out LightGbmBoosterHandle booster);

    /// <summary>
    /// <c>int LGBM_BoosterUpdateOneIter(BoosterHandle handle, int* is_finished)</c>: one boosting round;
    /// <paramref name="isFinished"/> is 1 when no further split can be made.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "LGBM_BoosterUpdateOneIter")]
    public static partial int BoosterUpdateOneIter(LightGbmBoosterHandle booster, out int isFinished);

    /// <summary>
    /// <c>int LGBM_BoosterPredictForMatSingleRow(BoosterHandle handle, const void* data, int data_type, int ncol,
    /// int is_row_major, int predict_type, int start_iteration, int num_iteration, const char* parameter,
    /// int64_t* out_len, double* out_result)</c>: scores one row; <paramref name="result"/> must hold one
    /// value per class (1 for regression). <paramref name="iterations"/> ≤ 0 means all.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "LGBM_BoosterPredictForMatSingleRow", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int BoosterPredictForMatSingleRow(LightGbmBoosterHandle booster, ReadOnlySpan<double> row, int dataType, int columns, int isRowMajor, int predictType, int startIteration, int iterations, string parameters, out long written, Span<double> result);

    /// <summary>
    /// <c>int LGBM_BoosterPredictForMatSingleRowFastInit(BoosterHandle handle, const int predict_type,
    /// const int start_iteration, const int num_iteration, const int data_type, const int32_t ncol,
    /// const char* parameter, FastConfigHandle* out_fastConfig)</c>: parses the prediction setup once
    /// for <see cref="BoosterPredictForMatSingleRowFast"/>. The config points at the booster, which must
    /// outlive it (the handle type holds a reference); freeing the config does not touch the booster.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "LGBM_BoosterPredictForMatSingleRowFastInit", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int BoosterPredictForMatSingleRowFastInit(LightGbmBoosterHandle booster, int predictType, int startIteration, int iterations, int dataType, int columns, string parameters, out LightGbmFastConfigHandle config);

    /// <summary>
    /// <c>int LGBM_BoosterPredictForMatSingleRowFast(FastConfigHandle fastConfig_handle, const void* data,
    /// int64_t* out_len, double* out_result)</c>: scores one row (ncol values of the init's data type)
    /// without re-parsing parameters; <paramref name="result"/> holds one value per class.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "LGBM_BoosterPredictForMatSingleRowFast")]
    public static partial int BoosterPredictForMatSingleRowFast(LightGbmFastConfigHandle config, ReadOnlySpan<double> row, out long written, Span<double> result);

    /// <summary><c>int LGBM_FastConfigFree(FastConfigHandle fastConfig)</c>: frees a fast prediction config.</summary>
    [LibraryImport(Library, EntryPoint = "LGBM_FastConfigFree")]
    public static partial int FastConfigFree(nint config);

    /// <summary>
    /// <c>int LGBM_RegisterLogCallback(void (*callback)(const char*))</c>: routes LightGBM's log lines
    /// (otherwise printed to stdout, even [Fatal] ones at verbosity=-1) to <paramref name="callback"/>,
    /// process-wide. The callback receives a NUL-terminated UTF-8 line valid during the call only.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "LGBM_RegisterLogCallback")]
    public static unsafe partial int RegisterLogCallback(delegate* unmanaged[Cdecl]<byte*, void> callback);

    /// <summary>
    /// <c>int LGBM_BoosterSaveModelToString(BoosterHandle handle, int start_iteration, int num_iteration,
    /// int feature_importance_type, int64_t buffer_len, int64_t* out_len, char* out_str)</c>: writes the
    /// model text (NUL-terminated) into <paramref name="buffer"/> when it fits; <paramref name="needed"/>
    /// is always the full length including the NUL, so a call with an empty buffer sizes the next one.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "LGBM_BoosterSaveModelToString")]
    public static partial int BoosterSaveModelToString(LightGbmBoosterHandle booster, int startIteration, int iterations, int featureImportanceType, long bufferLength, out long needed, Span<byte> buffer);

    /// <summary>
    /// <c>int LGBM_BoosterLoadModelFromString(const char* model_str, int* out_num_iterations, BoosterHandle* out)</c>:
    /// a new booster parsed from model text; malformed text fails with LightGBM's message.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "LGBM_BoosterLoadModelFromString", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int BoosterLoadModelFromString(string model, out int iterations, out LightGbmBoosterHandle booster);

    /// <summary><c>int LGBM_BoosterFree(BoosterHandle handle)</c>: frees a booster.</summary>
    [LibraryImport(Library, EntryPoint = "LGBM_BoosterFree")]
    public static partial int BoosterFree(nint booster);
}
