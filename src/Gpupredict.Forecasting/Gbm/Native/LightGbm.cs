using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gpupredict.Forecasting.Gbm.Native;

/// <summary>The boundary: turns a LightGBM return code into success or a <see cref="LightGbmException"/>.</summary>
internal static unsafe class LightGbm
{
    private static int _quiet;

    /// <summary>
    /// Routes LightGBM's log lines to a sink that drops them (once per process). Info and warnings
    /// are already off (<c>verbosity=-1</c>); what remains are [Fatal] lines, whose text also reaches
    /// us through <c>LGBM_GetLastError</c> and the exception — and a daemon's stdout is not a log.
    /// </summary>
    public static void Silence()
    {
        if (Interlocked.Exchange(ref _quiet, 1) == 0)
        {
            Check(LightGbmNative.RegisterLogCallback(&DropLine), "LGBM_RegisterLogCallback");
        }
    }

    /// <summary>Returns when <paramref name="returnCode"/> is 0; otherwise throws with <c>LGBM_GetLastError</c>'s text.</summary>
    /// <exception cref="LightGbmException">The call failed.</exception>
    public static void Check(int returnCode, string function)
    {
        if (returnCode != 0)
        {
            throw Failure(function);
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void DropLine(byte* line)
    {
    }

    private static LightGbmException Failure(string function)
    {
        // Read at once, on the failing thread: the buffer is thread-local and the next error overwrites it.
        string detail = Marshal.PtrToStringUTF8(LightGbmNative.GetLastError()) ?? "(no message)";
        return new LightGbmException($"{function} failed: {detail}") { Function = function };
    }
}
