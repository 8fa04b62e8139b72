namespace Gpupredict.Enforcement.Processes;

/// <summary>How one run of an external tool ended.</summary>
/// <param name="ExitCode">The exit status; -1 when it did not start or was killed.</param>
/// <param name="StandardOutput">Everything it wrote to stdout.</param>
/// <param name="StandardError">Everything it wrote to stderr.</param>
/// <param name="TimedOut">True when it ran past the timeout and was killed.</param>
/// <param name="StartError">Why it could not be started (e.g. the executable is missing); null when it started.</param>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError, bool TimedOut, string? StartError)
{
    /// <summary>True when it started, finished in time and exited with 0.</summary>
    public bool Succeeded => StartError is null && !TimedOut && ExitCode == 0;

    /// <summary>A result for a tool that could not be started.</summary>
    public static ProcessResult NotStarted(string reason) => new(-1, string.Empty, string.Empty, false, reason);

    /// <summary>Why the run failed, naming the command, exit code and stderr; null when it succeeded.</summary>
    public string? Problem(ProcessRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string stdinNote = request.StandardInput is { } input ? $" (stdin: '{input.Trim()}')" : string.Empty;
        if (StartError is { } start)
        {
            return $"'{request.Display}'{stdinNote} could not be started: {start}";
        }

        if (TimedOut)
        {
            return $"'{request.Display}'{stdinNote} did not finish within {request.Timeout.TotalMilliseconds:0} ms and was killed; stderr: '{StandardError.Trim()}'";
        }

        return ExitCode == 0 ? null
            : $"'{request.Display}'{stdinNote} exited with code {ExitCode}; stderr: '{StandardError.Trim()}'";
    }
}
