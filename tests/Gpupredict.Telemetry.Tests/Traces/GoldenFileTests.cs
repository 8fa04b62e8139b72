using Gpupredict.Telemetry.Tests.Support;

namespace Gpupredict.Telemetry.Tests.Traces;

/// <summary>
/// Each real fixture, imported and aggregated, must match its digest in Golden/. After an intended
/// change, rewrite the digests with <c>UPDATE_GOLDEN=1 dotnet test tests/Gpupredict.Telemetry.Tests</c>
/// and review the diff.
/// </summary>
public sealed class GoldenFileTests
{
    private static string GoldenFolder => Path.Combine(RepoPaths.Root, "tests", "Gpupredict.Telemetry.Tests", "Golden");

    public static TheoryData<string> Fixtures() => [.. FixtureTraces.All];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void ImportAndAggregate_Fixture_MatchesGolden(string fixture)
    {
        string actual = TraceSummary.Of(fixture, FixtureTraces.Get(fixture));
        string goldenPath = Path.Combine(GoldenFolder, Path.GetFileName(fixture) + ".json");
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(GoldenFolder);
            File.WriteAllText(goldenPath, actual);
            return;
        }

        Assert.True(File.Exists(goldenPath), $"{goldenPath} is missing; create it with UPDATE_GOLDEN=1 dotnet test tests/Gpupredict.Telemetry.Tests");
        Assert.Equal(File.ReadAllText(goldenPath).ReplaceLineEndings("\n"), actual);
    }
}
