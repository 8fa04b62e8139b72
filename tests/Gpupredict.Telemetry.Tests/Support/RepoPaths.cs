using System.Reflection;

namespace Gpupredict.Telemetry.Tests.Support;

/// <summary>Locates the repository (the folder holding gpupredictd.sln) and the trace fixtures in it.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string Fixtures => Path.Combine(Root, "tests", "fixtures", "traces");

    public static string Golden => Path.Combine(Root, "tests", "Gpupredict.Telemetry.Tests", "Golden");

    public static string Fixture(string relative) => Path.Combine(Fixtures, relative);

    private static string FindRoot()
    {
        // Walk up from the test binaries first; with --artifacts-path they live outside the tree, so
        // fall back to the working directory and then to the root recorded at build time.
        string? recorded = typeof(RepoPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(static a => a.Key == "RepoRoot")?.Value;
        foreach (string? start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory, recorded })
        {
            for (DirectoryInfo? dir = start is null ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "gpupredictd.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException($"gpupredictd.sln not found above {AppContext.BaseDirectory}, {Environment.CurrentDirectory} or {recorded}");
    }
}
