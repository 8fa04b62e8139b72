using System.Collections.Immutable;
using System.Globalization;

namespace Gpupredict.Interop.Nvml;

/// <summary>
/// A GPU inventory declared in configuration, for nodes without NVML (CI, the demo, development
/// machines): <c>4 x H100 80GB</c>, <c>2 x A100 40GB, 1 x L4 24GB</c>. Each comma-separated group is
/// a count, <c>x</c>, a model name (one or more words) and the memory of one GPU (a number and a unit,
/// joined or apart: <c>80GB</c>, <c>80 GB</c>, <c>0.5 TiB</c>). GPUs are numbered in the order written.
/// </summary>
/// <remarks>
/// Units: M/MB/MiB, G/GB/GiB, T/TB/TiB, all binary (2^20, 2^30, 2^40 bytes), case-insensitive:
/// GPU memory is sold in binary sizes, so "H100 80GB" means 80 GiB, as the simulated node counts it.
/// </remarks>
public static class DeclaredGpuInventory
{
    /// <summary>The most GPUs a node may declare.</summary>
    public const int MaxGpus = 64;

    private const string Shape = "COUNT x MODEL MEMORY, such as \"4 x H100 80GB\"";

    /// <summary>
    /// Reads <paramref name="text"/> into a <see cref="GpuInventory"/> with <see cref="GpuInventory.Simulated"/>
    /// set: UUIDs "GPU-simulated-N", MIG disabled, default compute mode, no SM count, no driver.
    /// </summary>
    /// <exception cref="DeclaredInventoryException">The text is not of that shape; the message says where and what.</exception>
    public static GpuInventory Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new DeclaredInventoryException(text, 0, text, Shape, text);
        }

        string[] groups = text.Split(',');
        var gpus = ImmutableArray.CreateBuilder<GpuDevice>();
        for (int g = 0; g < groups.Length; g++)
        {
            string group = groups[g].Trim();
            var (count, model, memory, memoryText) = ParseGroup(text, g + 1, group);
            if (gpus.Count + count > MaxGpus)
            {
                throw new DeclaredInventoryException(text, g + 1, group, $"at most {MaxGpus} GPUs in all", $"{gpus.Count + count}");
            }

            for (int i = 0; i < count; i++)
            {
                int index = gpus.Count;
                gpus.Add(new GpuDevice(index, $"GPU-simulated-{index}", $"{model} {memoryText}", memory, GpuMigMode.Disabled, GpuComputeMode.Default, null));
            }
        }

        return new GpuInventory(gpus.ToImmutable(), Simulated: true, DriverVersion: null);
    }

    private static (int Count, string Model, ulong Memory, string MemoryText) ParseGroup(string input, int number, string group)
    {
        DeclaredInventoryException Fail(string expected, string found) => new(input, number, group, expected, found);

        string[] words = group.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            throw Fail(Shape, group);
        }

        // "4x" is accepted as well as "4 x".
        int at = 0;
        string countText = words[at++];
        bool joinedX = countText.Length > 1 && (countText.EndsWith('x') || countText.EndsWith('X'));
        if (joinedX)
        {
            countText = countText[..^1];
        }

        if (!int.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count < 1)
        {
            throw Fail($"a GPU count (1 to {MaxGpus}) first", words[0]);
        }

        if (!joinedX)
        {
            if (at == words.Length || !words[at].Equals("x", StringComparison.OrdinalIgnoreCase))
            {
                throw Fail("\"x\" after the count", at == words.Length ? "the end" : words[at]);
            }

            at++;
        }

        // The memory is the last word ("80GB") or the last two ("80 GB").
        string[] rest = words[at..];
        if (rest.Length == 0)
        {
            throw Fail("a model and its memory after \"x\"", "the end");
        }

        int modelWords = rest.Length - 1;
        string memoryText = rest[^1];
        if (rest.Length >= 2 && UnitBytes(rest[^1]) != 0 && IsNumber(rest[^2]))
        {
            memoryText = rest[^2] + rest[^1];
            modelWords = rest.Length - 2;
        }

        ulong memory = ParseMemory(memoryText, out string? problem);
        if (problem is not null)
        {
            throw Fail(problem, memoryText);
        }

        if (modelWords == 0)
        {
            throw Fail("a model name before the memory", memoryText);
        }

        return (count, string.Join(' ', rest[..modelWords]), memory, memoryText);
    }

    /// <summary>Bytes of "80GB" / "0.5TiB"; problem set (what was expected) when it is not a size.</summary>
    private static ulong ParseMemory(string text, out string? problem)
    {
        int split = 0;
        while (split < text.Length && (char.IsAsciiDigit(text[split]) || text[split] == '.'))
        {
            split++;
        }

        ulong unit = UnitBytes(text[split..]);
        if (split == 0 || unit == 0 || !double.TryParse(text.AsSpan(0, split), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value))
        {
            problem = "a memory size such as 80GB after the model (units MB, GB, TB, MiB, GiB, TiB)";
            return 0;
        }

        double bytes = Math.Round(value * unit);
        if (bytes < 1 || bytes > (double)(1UL << 50))
        {
            problem = "a memory size above 0 and at most 1 PiB";
            return 0;
        }

        problem = null;
        return (ulong)bytes;
    }

    private static bool IsNumber(string word) =>
        word.Length > 0 && double.TryParse(word, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _);

    /// <summary>Bytes per unit, 0 when <paramref name="unit"/> is not one.</summary>
    private static ulong UnitBytes(string unit) => unit.ToUpperInvariant() switch
    {
        "M" or "MB" or "MIB" => 1UL << 20,
        "G" or "GB" or "GIB" => 1UL << 30,
        "T" or "TB" or "TIB" => 1UL << 40,
        _ => 0,
    };
}
