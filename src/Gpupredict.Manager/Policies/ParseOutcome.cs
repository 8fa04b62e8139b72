namespace Gpupredict.Manager.Policies;

/// <summary>How reading a size or duration went.</summary>
internal enum ParseOutcome
{
    /// <summary>Read; the value is set.</summary>
    Ok,

    /// <summary>Not in the notation at all.</summary>
    Malformed,

    /// <summary>In the notation, but too large for the value's type.</summary>
    TooLarge,
}
