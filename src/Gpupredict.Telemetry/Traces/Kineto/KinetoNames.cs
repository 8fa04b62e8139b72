using System.Text;
using Gpupredict.Core.Events;

namespace Gpupredict.Telemetry.Traces.Kineto;

/// <summary>Interprets the names Kineto gives to events.</summary>
internal static class KinetoNames
{
    /// <summary>The allocator event name.</summary>
    public static ReadOnlySpan<byte> Memory => "[memory]"u8;

    /// <summary>
    /// The copy direction in a memcpy name such as <c>Memcpy HtoD (Pinned -&gt; Device)</c> or a ROCm
    /// <c>kind</c> such as <c>HtoD</c>; <see cref="GpuEventKind.None"/> when none is recognized.
    /// </summary>
    public static GpuEventKind CopyKindOf(ReadOnlySpan<byte> text)
    {
        if (text.IndexOf("HtoD"u8) >= 0)
        {
            return GpuEventKind.MemcpyHtoD;
        }

        if (text.IndexOf("DtoH"u8) >= 0)
        {
            return GpuEventKind.MemcpyDtoH;
        }

        if (text.IndexOf("DtoD"u8) >= 0)
        {
            return GpuEventKind.MemcpyDtoD;
        }

        if (text.IndexOf("HtoH"u8) >= 0)
        {
            return GpuEventKind.MemcpyHtoH;
        }

        return text.IndexOf("PtoP"u8) >= 0 ? GpuEventKind.MemcpyPeer : GpuEventKind.None;
    }

    /// <summary>Classifies a host API name given as UTF-8 (see <see cref="CudaApiCatalog"/>).</summary>
    public static bool TryClassifyCall(ReadOnlySpan<byte> utf8Name, out GpuEventKind kind, out GpuEventFlags flags)
    {
        Span<char> chars = stackalloc char[128];
        if (utf8Name.Length > chars.Length || !Encoding.UTF8.TryGetChars(utf8Name, chars, out int written))
        {
            kind = GpuEventKind.None;
            flags = GpuEventFlags.None;
            return false;
        }

        return CudaApiCatalog.TryClassify(chars[..written], out kind, out flags);
    }
}
