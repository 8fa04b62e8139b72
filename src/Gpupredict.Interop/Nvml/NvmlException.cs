namespace Gpupredict.Interop.Nvml;

/// <summary>
/// An NVML call returned something other than <see cref="NvmlReturn.Success"/>. The message names the
/// function, NVML's own text for the code (<c>nvmlErrorString</c>) and the code, e.g.
/// "nvmlDeviceGetMemoryInfo failed: GPU is lost (GpuIsLost, 15)".
/// </summary>
public sealed class NvmlException : Exception
{
    /// <summary>A failure of <paramref name="function"/> with <paramref name="result"/>, described by NVML as <paramref name="errorText"/>.</summary>
    public NvmlException(string function, NvmlReturn result, string errorText)
        : base($"{function} failed: {errorText} ({result}, {(int)result})")
    {
        Function = function;
        Result = result;
        ErrorText = errorText;
    }

    /// <summary>The NVML entry point that failed, e.g. <c>nvmlInit_v2</c>.</summary>
    public string Function { get; }

    /// <summary>What it returned.</summary>
    public NvmlReturn Result { get; }

    /// <summary>NVML's description of <see cref="Result"/> (<c>nvmlErrorString</c>).</summary>
    public string ErrorText { get; }
}
