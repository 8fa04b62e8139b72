using System.Globalization;

namespace Gpupredict.Interop.Processes;

/// <summary>
/// Reads a process's start time from <c>/proc/&lt;pid&gt;/stat</c> (field 22, <c>starttime</c>: clock
/// ticks after boot), which with the pid names its ring and control block, so a reused pid never
/// meets a dead process's objects. The proc root is injected for tests.
/// </summary>
public static class ProcStat
{
    /// <summary>The start time of <paramref name="pid"/>, or null when the process is gone or its stat line is unreadable.</summary>
    public static ulong? TryReadStartTime(string procRoot, int pid)
    {
        ArgumentException.ThrowIfNullOrEmpty(procRoot);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pid);
        string text;
        try
        {
            text = File.ReadAllText(Path.Join(procRoot, pid.ToString(CultureInfo.InvariantCulture), "stat"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // exited, or never existed
        }

        return TryParseStartTime(text, out ulong startTime) ? startTime : null;
    }

    /// <summary>
    /// Parses field 22 of a <c>/proc/&lt;pid&gt;/stat</c> line. Field 2, the command name in
    /// parentheses, may itself hold spaces and ')', so fields are counted after the last ')'.
    /// </summary>
    public static bool TryParseStartTime(ReadOnlySpan<char> statLine, out ulong startTime)
    {
        startTime = 0;
        int close = statLine.LastIndexOf(')');
        if (close < 0)
        {
            return false;
        }

        // After ") " comes field 3 (state); field 22 is the 20th from there.
        ReadOnlySpan<char> rest = statLine[(close + 1)..].TrimStart(' ');
        for (int field = 3; field < 22; field++)
        {
            int space = rest.IndexOf(' ');
            if (space < 0)
            {
                return false;
            }

            rest = rest[(space + 1)..];
        }

        int end = rest.IndexOfAny(' ', '\n');
        return ulong.TryParse(end < 0 ? rest : rest[..end], NumberStyles.None, CultureInfo.InvariantCulture, out startTime);
    }
}
