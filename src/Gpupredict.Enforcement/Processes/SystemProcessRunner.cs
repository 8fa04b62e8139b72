using System.ComponentModel;
using System.Diagnostics;

namespace Gpupredict.Enforcement.Processes;

/// <summary>
/// Runs tools with <see cref="Process"/>: no shell, arguments as a list, stdout and stderr captured
/// in full, stdin written then closed, and on timeout the whole process tree killed.
/// </summary>
public sealed class SystemProcessRunner : IProcessRunner
{
    /// <summary>The shared instance (it holds no state).</summary>
    public static SystemProcessRunner Instance { get; } = new();

    /// <inheritdoc />
    public ProcessResult Run(ProcessRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var info = new ProcessStartInfo(request.FileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        foreach (string argument in request.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (request.Environment is { } environment)
        {
            foreach ((string name, string? value) in environment)
            {
                if (value is null)
                {
                    info.Environment.Remove(name);
                }
                else
                {
                    info.Environment[name] = value;
                }
            }
        }

        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            return ProcessResult.NotStarted(e.Message);
        }

        // Both pipes drain concurrently, so a tool that fills one while we wait on the other cannot deadlock.
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        try
        {
            if (request.StandardInput is { } input)
            {
                process.StandardInput.Write(input);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The tool exited without reading its stdin (EPIPE): its exit status says why.
        }

        bool finished = process.WaitForExit(request.Timeout);
        if (!finished)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited between the wait and the kill.
            }

            process.WaitForExit();
        }
        else
        {
            process.WaitForExit(); // also waits for the redirected streams to reach end of file
        }

        return new ProcessResult(finished ? process.ExitCode : -1, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult(), !finished, null);
    }
}
