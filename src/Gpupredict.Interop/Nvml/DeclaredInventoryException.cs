namespace Gpupredict.Interop.Nvml;

/// <summary>
/// A declared GPU inventory (<see cref="DeclaredGpuInventory.Parse"/>) could not be read. The message
/// quotes the input, says which group (1-based, groups are separated by commas), what was expected
/// and what was found, e.g. <c>GPU inventory "2 x A100": group 1 "2 x A100": expected a memory size
/// such as 80GB after the model, found "A100"</c>.
/// </summary>
public sealed class DeclaredInventoryException : FormatException
{
    /// <summary>A failure in group <paramref name="group"/> of <paramref name="input"/>.</summary>
    public DeclaredInventoryException(string input, int group, string groupText, string expected, string found)
        : base($"GPU inventory \"{input}\": group {group} \"{groupText}\": expected {expected}, found \"{found}\"")
    {
        Input = input;
        Group = group;
        Expected = expected;
        Found = found;
    }

    /// <summary>The whole text being parsed.</summary>
    public string Input { get; }

    /// <summary>The 1-based comma-separated group at fault (0 for the whole input).</summary>
    public int Group { get; }

    /// <summary>What the parser expected there.</summary>
    public string Expected { get; }

    /// <summary>What it found instead.</summary>
    public string Found { get; }
}
