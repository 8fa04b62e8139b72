namespace Gpupredict.Ctl.Commands;

/// <summary>Expands command-line paths: a file is itself; a folder is every trace file under it, sorted.</summary>
internal static class TraceFiles
{
    private static readonly string[] Patterns = ["*.json", "*.json.gz", "*.sqlite"];

    public static IReadOnlyList<string> Expand(IReadOnlyList<string> paths)
    {
        if (paths.Count == 0)
        {
            throw new UsageException("no trace given: name one or more trace files or folders");
        }

        var files = new List<string>();
        foreach (string path in paths)
        {
            if (Directory.Exists(path))
            {
                var found = Patterns.SelectMany(p => Directory.EnumerateFiles(path, p, SearchOption.AllDirectories)).Distinct().Order(StringComparer.Ordinal).ToList();
                if (found.Count == 0)
                {
                    throw new UsageException($"{path}: folder holds no trace file ({string.Join(", ", Patterns)})");
                }

                files.AddRange(found);
            }
            else
            {
                // Missing files are reported by the importer, with the file name, like any bad input.
                files.Add(path);
            }
        }

        return files;
    }
}
