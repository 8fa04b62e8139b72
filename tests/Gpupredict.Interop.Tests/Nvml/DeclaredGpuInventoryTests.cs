using Gpupredict.Interop.Nvml;

namespace Gpupredict.Interop.Tests.Nvml;

public sealed class DeclaredGpuInventoryTests
{
    private const ulong GiB = 1UL << 30;

    public static TheoryData<string, string[], ulong[]> Good => new()
    {
        { "4 x H100 80GB", ["H100 80GB", "H100 80GB", "H100 80GB", "H100 80GB"], [80 * GiB, 80 * GiB, 80 * GiB, 80 * GiB] },
        { "2 x A100 40GB, 1 x L4 24GB", ["A100 40GB", "A100 40GB", "L4 24GB"], [40 * GiB, 40 * GiB, 24 * GiB] },
        { "1x NVIDIA H100 NVL 94 GiB", ["NVIDIA H100 NVL 94GiB"], [94 * GiB] },          // "1x", two-word model, "94 GiB" apart
        { " 1 X T4 16g ,1 x V100 32768MB ", ["T4 16g", "V100 32768MB"], [16 * GiB, 32 * GiB] }, // 32768 MiB = 32 GiB
        { "1 x Big 0.5TB", ["Big 0.5TB"], [512 * GiB] },                                   // 0.5 * 2^40
    };

    public static TheoryData<string, string, string> Bad => new()
    {
        { "", "COUNT x MODEL MEMORY, such as \"4 x H100 80GB\"", "" },
        { "four x H100 80GB", "a GPU count (1 to 64) first", "four" },
        { "0 x H100 80GB", "a GPU count (1 to 64) first", "0" },
        { "4 H100 80GB", "\"x\" after the count", "H100" },
        { "4 x", "a model and its memory after \"x\"", "the end" },
        { "2 x A100", "a memory size such as 80GB after the model (units MB, GB, TB, MiB, GiB, TiB)", "A100" },
        { "2 x A100 40", "a memory size such as 80GB after the model (units MB, GB, TB, MiB, GiB, TiB)", "40" },
        { "2 x A100 40GiBs", "a memory size such as 80GB after the model (units MB, GB, TB, MiB, GiB, TiB)", "40GiBs" },
        { "2 x 40GB", "a model name before the memory", "40GB" },
        { "2 x A100 0GB", "a memory size above 0 and at most 1 PiB", "0GB" },
        { "2 x A100 40GB,", "COUNT x MODEL MEMORY, such as \"4 x H100 80GB\"", "" },
        { "60 x H100 80GB, 5 x L4 24GB", "at most 64 GPUs in all", "65" },
    };

    [Theory]
    [MemberData(nameof(Good))]
    public void Parse_WellFormed_GpusInOrderSimulated(string text, string[] names, ulong[] memory)
    {
        GpuInventory inventory = DeclaredGpuInventory.Parse(text);

        Assert.True(inventory.Simulated);
        Assert.Null(inventory.DriverVersion);
        Assert.Equal(names, inventory.Gpus.Select(g => g.Name));
        Assert.Equal(memory, inventory.Gpus.Select(g => g.MemoryBytes));
        Assert.Equal(Enumerable.Range(0, names.Length), inventory.Gpus.Select(g => g.Index));
        Assert.Equal(Enumerable.Range(0, names.Length).Select(i => $"GPU-simulated-{i}"), inventory.Gpus.Select(g => g.Uuid));
        Assert.All(inventory.Gpus, g => Assert.Equal((GpuMigMode.Disabled, GpuComputeMode.Default, (int?)null), (g.MigMode, g.ComputeMode, g.MultiprocessorCount)));
    }

    [Theory]
    [MemberData(nameof(Bad))]
    public void Parse_Malformed_SaysWhatWasExpectedAndFound(string text, string expected, string found)
    {
        var e = Assert.Throws<DeclaredInventoryException>(() => DeclaredGpuInventory.Parse(text));

        Assert.Equal(expected, e.Expected);
        Assert.Equal(found, e.Found);
        Assert.Contains($"expected {expected}, found \"{found}\"", e.Message, StringComparison.Ordinal);
        Assert.StartsWith($"GPU inventory \"{text}\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SameTextTwice_EqualInventories()
    {
        Assert.Equal(DeclaredGpuInventory.Parse("2 x A100 40GB"), DeclaredGpuInventory.Parse("2 x A100 40GB"));
        Assert.NotEqual(DeclaredGpuInventory.Parse("2 x A100 40GB"), DeclaredGpuInventory.Parse("2 x A100 80GB"));
    }

    [Fact]
    public void Parse_SecondGroupBad_MessageNamesTheGroup()
    {
        var e = Assert.Throws<DeclaredInventoryException>(() => DeclaredGpuInventory.Parse("2 x A100 40GB, 1 x L4"));

        Assert.Equal(2, e.Group);
        Assert.Equal(
            "GPU inventory \"2 x A100 40GB, 1 x L4\": group 2 \"1 x L4\": expected a memory size such as 80GB after the model (units MB, GB, TB, MiB, GiB, TiB), found \"L4\"",
            e.Message);
    }
}
