using System.Reflection;

namespace Gpupredict.Interop.Tests.Abi;

/// <summary>Finds the repository: the folder holding gpupredictd.sln.</summary>
internal static class RepoRoot
{
    private const string Marker = "gpupredictd.sln";

    /// <summary>
    /// Walks up from the test binaries; when they were built outside the tree (an artifacts path),
    /// falls back to the RepoRoot the build recorded in the assembly metadata.
    /// </summary>
    public static string Find()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, Marker)))
            {
                return dir.FullName;
            }
        }

        string? recorded = typeof(RepoRoot).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepoRoot")?.Value;
        if (!string.IsNullOrEmpty(recorded) && File.Exists(Path.Combine(recorded, Marker)))
        {
            return Path.GetFullPath(recorded);
        }

        throw new InvalidOperationException(
            $"No {Marker} above {AppContext.BaseDirectory} nor at the build's RepoRoot '{recorded}': run the tests from a checkout.");
    }
}
