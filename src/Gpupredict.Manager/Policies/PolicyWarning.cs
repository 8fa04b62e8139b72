namespace Gpupredict.Manager.Policies;

/// <summary>
/// Something in a policy file that loads but is probably not what its author meant, such as a rule
/// that grants more to applications on their own word. The file still applies; the daemon and the
/// CLI report the warning. <see cref="ToString"/> reads like an error: <c>FILE:LINE:COLUMN: FIELD: MESSAGE</c>.
/// </summary>
/// <param name="Source">The file's name as given to the loader.</param>
/// <param name="Line">1-based line, or 0 for the file as a whole.</param>
/// <param name="Column">1-based column, or 0 for the file as a whole.</param>
/// <param name="Field">The dotted field path such as <c>rules[2].match</c>; empty for the whole file.</param>
/// <param name="Message">What is wrong and what to do about it.</param>
public sealed record PolicyWarning(string Source, int Line, int Column, string Field, string Message)
{
    /// <inheritdoc />
    public override string ToString()
    {
        string where = Line > 0 ? $"{Source}:{Line}:{Column}" : Source;
        return Field.Length > 0 ? $"{where}: {Field}: {Message}" : $"{where}: {Message}";
    }
}
