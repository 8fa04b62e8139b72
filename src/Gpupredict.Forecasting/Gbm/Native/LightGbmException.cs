namespace Gpupredict.Forecasting.Gbm.Native;

/// <summary>A LightGBM C API call failed; the message names the call and carries LightGBM's own error text.</summary>
public sealed class LightGbmException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LightGbmException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public LightGbmException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public LightGbmException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The C API function that failed (e.g. <c>LGBM_BoosterCreate</c>).</summary>
    public string? Function { get; init; }
}
