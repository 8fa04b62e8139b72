namespace Gpupredict.Enforcement.Processes;

/// <summary>One run of an external tool. The arguments are passed as a list (no shell parses them).</summary>
/// <param name="FileName">The executable: a path, or a name looked up on PATH.</param>
/// <param name="Arguments">The arguments, each passed verbatim.</param>
/// <param name="StandardInput">Text written to the tool's stdin, which is then closed; null closes stdin at once.</param>
/// <param name="Environment">Variables set (or, with a null value, removed) on top of the daemon's environment; null for none.</param>
/// <param name="Timeout">How long to wait before the tool (and its children) is killed.</param>
public sealed record ProcessRequest(
    string FileName,
    IReadOnlyList<string> Arguments,
    string? StandardInput,
    IReadOnlyDictionary<string, string?>? Environment,
    TimeSpan Timeout)
{
    /// <summary>The command line in words, for error messages (arguments are not shell-quoted).</summary>
    public string Display => Arguments.Count == 0 ? FileName : $"{FileName} {string.Join(' ', Arguments)}";
}
