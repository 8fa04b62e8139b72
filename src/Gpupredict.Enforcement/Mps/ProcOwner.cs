using System.Globalization;

namespace Gpupredict.Enforcement.Mps;

/// <summary>Reads a process's real uid from <c>&lt;procRoot&gt;/&lt;pid&gt;/status</c> (the "Uid:" line's first field).</summary>
internal static class ProcOwner
{
    /// <summary>The real uid, or null when the process is gone, invisible here or the file is unreadable.</summary>
    public static long? RealUid(string procRoot, int pid)
    {
        string path = Path.Join(procRoot, pid.ToString(CultureInfo.InvariantCulture), "status");
        try
        {
            foreach (string line in File.ReadLines(path))
            {
                if (line.StartsWith("Uid:", StringComparison.Ordinal))
                {
                    string[] fields = line[4..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                    return fields.Length > 0 && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out long uid) ? uid : null;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }
}
