using System.Reflection;

namespace Gpupredict.Testing;

/// <summary>
/// Locates the repository (the folder holding gpupredictd.sln) and its fixtures, for every test
/// project (compiled into each through Directory.Build.props).
/// </summary>
internal static class RepoPaths
{
    private const string Marker = "gpupredictd.sln";
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The repository root.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>The bundled real traces: tests/fixtures/traces.</summary>
    public static string Fixtures => Path.Combine(Root, "tests", "fixtures", "traces");

    /// <summary>A file under <see cref="Fixtures"/>.</summary>
    public static string Fixture(string relative) => Path.Combine(Fixtures, relative);

    private static string FindRoot()
    {
        // Walk up from the test binaries first; built with --artifacts-path they live outside the
        // tree, so fall back to the working directory, then to the root recorded at build time.
        string? recorded = typeof(RepoPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(static a => a.Key == "RepoRoot")?.Value;
        foreach (string? start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory, recorded })
        {
            for (DirectoryInfo? dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, Marker)))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException($"{Marker} not found above {AppContext.BaseDirectory}, {Environment.CurrentDirectory} or '{recorded}': run the tests from a checkout.");
    }
}
