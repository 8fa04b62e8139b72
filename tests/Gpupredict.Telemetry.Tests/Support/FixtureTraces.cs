using System.Collections.Concurrent;
using Gpupredict.Telemetry.Traces;

namespace Gpupredict.Telemetry.Tests.Support;

/// <summary>The real trace fixtures, each imported once per test run and shared by the tests that read it.</summary>
internal static class FixtureTraces
{
    public const string Resnet = "kineto/resnet-v100-rank0.json.gz";
    public const string DfIndex = "kineto/df-index-resolver-v100.json.gz";
    public const string Alexnet = "kineto/alexnet-a100.json.gz";
    public const string Amd = "kineto/amd-mi250-minitoy.json.gz";
    public const string CpuOnly = "kineto/cpu-only-rank34.json.gz";
    public const string Cloverleaf = "nsys/cloverleaf-a100.sqlite";
    public const string Saxpy = "nsys/saxpy-mpi-a100.sqlite";

    private static readonly ConcurrentDictionary<string, Lazy<ImportedTrace>> Cache = new();

    public static IReadOnlyList<string> All { get; } = [Resnet, DfIndex, Alexnet, Amd, CpuOnly, Cloverleaf, Saxpy];

    public static ImportedTrace Get(string relative) =>
        Cache.GetOrAdd(relative, static r => new Lazy<ImportedTrace>(() => TraceImport.Load(RepoPaths.Fixture(r)))).Value;
}
