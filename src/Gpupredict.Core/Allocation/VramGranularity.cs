namespace Gpupredict.Core.Allocation;

/// <summary>
/// Device memory is granted and pre-mapped in chunks of the CUDA VMM allocation granularity
/// (<c>cuMemGetAllocationGranularity</c>, 2 MiB on current NVIDIA GPUs).
/// </summary>
public static class VramGranularity
{
    /// <summary>One chunk, in bytes (2 MiB).</summary>
    public const ulong ChunkBytes = 2UL << 20;

    /// <summary>Rounds <paramref name="bytes"/> up to whole chunks; negative and NaN become 0.</summary>
    public static ulong RoundUp(double bytes)
    {
        if (!(bytes > 0))
        {
            return 0;
        }

        double chunks = Math.Ceiling(bytes / ChunkBytes);
        return chunks >= ulong.MaxValue / ChunkBytes ? ulong.MaxValue / ChunkBytes * ChunkBytes : (ulong)chunks * ChunkBytes;
    }

    /// <summary>Rounds <paramref name="bytes"/> down to whole chunks; negative and NaN become 0.</summary>
    public static ulong RoundDown(double bytes)
    {
        if (!(bytes > 0))
        {
            return 0;
        }

        double chunks = Math.Floor(bytes / ChunkBytes);
        return chunks >= ulong.MaxValue / ChunkBytes ? ulong.MaxValue / ChunkBytes * ChunkBytes : (ulong)chunks * ChunkBytes;
    }
}
