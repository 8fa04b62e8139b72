namespace Gpupredict.Interop.Nvml;

/// <summary>
/// Peak device-memory bandwidth of GPU models, from the vendor data sheets, found by the words of a
/// product name. NVML reports no bandwidth figure, and the planner needs one per GPU.
/// </summary>
public static class KnownGpuBandwidth
{
    // First match wins, so the more specific variants come first. A row matches when every word
    // of it is a word of the name (split on spaces and dashes, case-insensitive): "A10" does not
    // match "A100", "L40" does not match "L40S".
    private static readonly (string[] Words, double BytesPerSecond)[] Table =
    [
        (["H200"], 4.8e12),
        (["H100", "NVL"], 3.9e12),
        (["H100", "PCIe"], 2.0e12),
        (["H100"], 3.35e12),
        (["A100", "80GB", "PCIe"], 1.935e12),
        (["A100", "80GB"], 2.039e12),
        (["A100"], 1.555e12),
        (["A30"], 933e9),
        (["A10"], 600e9),
        (["L40S"], 864e9),
        (["L40"], 864e9),
        (["L4"], 300e9),
        (["V100"], 900e9),
        (["T4"], 320e9),
    ];

    /// <summary>The peak bandwidth of the model named <paramref name="name"/>, bytes per second; false when the model is not known.</summary>
    public static bool TryGet(string name, out double bytesPerSecond)
    {
        ArgumentNullException.ThrowIfNull(name);
        string[] words = name.Split([' ', '-', '_'], StringSplitOptions.RemoveEmptyEntries);
        foreach (var (rowWords, rowBandwidth) in Table)
        {
            if (rowWords.All(w => words.Contains(w, StringComparer.OrdinalIgnoreCase)))
            {
                bytesPerSecond = rowBandwidth;
                return true;
            }
        }

        bytesPerSecond = 0;
        return false;
    }
}
