using Gpupredict.Core.Demand;
using Gpupredict.Telemetry.Datasets;
using Gpupredict.Telemetry.Tests.Support;

namespace Gpupredict.Telemetry.Tests.Datasets;

public sealed class AlibabaGenAiTests : IDisposable
{
    private static readonly AlibabaGenAiOptions Min3 = new() { MinSamples = 3 };
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Load_TarGzFolder_JoinsDutyAndMemoryPerPod()
    {
        string folder = GenAiFiles.WriteFolder(
            _dir,
            GenAiFiles.Duty(GenAiFiles.Rows("podA", 4, i => i * 25.0)),
            GenAiFiles.Memory(GenAiFiles.Rows("podA", 4, i => 1e9 * (i + 1))));

        AlibabaGenAiData data = AlibabaGenAi.Load(folder, Min3);

        DemandSeries s = Assert.Single(data.Series);
        Assert.Equal(57, data.StepSeconds);
        Assert.Equal([0, 0.25, 0.5, 0.75], s.Values(Resource.Sm).ToArray()); // percent / 100
        Assert.Equal([1e9, 2e9, 3e9, 4e9], s.Values(Resource.Vram).ToArray());
        Assert.Equal([0.0, 0, 0, 0], s.Values(Resource.MemoryBandwidth).ToArray());
        Assert.Equal(ObservedSignals.SmFromGpuIntervals | ObservedSignals.VramFromAllocations, s.Observed);
        Assert.Equal("alibaba-genai/podA step=57s", s.Name);
        Assert.Equal((long)GenAiFiles.T0 * 1_000_000_000, s.OriginNs);
        Assert.Equal(0, data.FilledValues);
    }

    [Fact]
    public void Load_PodWithFewerThanMinSamples_Skipped()
    {
        string folder = GenAiFiles.WriteFolder(
            _dir,
            GenAiFiles.Duty([.. GenAiFiles.Rows("big", 5, _ => 10), .. GenAiFiles.Rows("small", 2, _ => 10)]),
            GenAiFiles.Memory([.. GenAiFiles.Rows("big", 5, _ => 1), .. GenAiFiles.Rows("small", 2, _ => 1)]));

        AlibabaGenAiData data = AlibabaGenAi.Load(folder, Min3);

        Assert.Equal("alibaba-genai/big step=57s", Assert.Single(data.Series).Name);
        Assert.Equal(2, data.Pods);
        Assert.Equal(1, data.PodsSkipped);
    }

    [Fact]
    public void Load_GapInside_CarriesTheLastValueAndCountsIt()
    {
        // Duty has no sample at step 2; memory has no sample at steps 1 and 3.
        string duty = GenAiFiles.Duty(("p", 0, 10), ("p", 1, 20), ("p", 3, 40), ("p", 4, 50));
        string memory = GenAiFiles.Memory(("p", 0, 100), ("p", 2, 300), ("p", 4, 500));

        AlibabaGenAiData data = AlibabaGenAi.LoadFiles(_dir.Write("d.csv", duty), _dir.Write("m.csv", memory), new AlibabaGenAiOptions { MinSamples = 2 });

        DemandSeries s = Assert.Single(data.Series);
        Assert.Equal([0.1, 0.2, 0.2, 0.4, 0.5], s.Values(Resource.Sm).ToArray());
        Assert.Equal([100.0, 100, 300, 300, 500], s.Values(Resource.Vram).ToArray());
        Assert.Equal(3, data.FilledValues);
    }

    [Fact]
    public void Load_SignalsStartAndEndApart_SeriesSpansTheirOverlap()
    {
        string duty = GenAiFiles.Duty(GenAiFiles.Rows("p", 6, i => i));                  // steps 0..5
        string memory = GenAiFiles.Memory([.. GenAiFiles.Rows("p", 8, i => i)[2..]]);    // steps 2..7

        AlibabaGenAiData data = AlibabaGenAi.LoadFiles(_dir.Write("d.csv", duty), _dir.Write("m.csv", memory), Min3);

        DemandSeries s = Assert.Single(data.Series);
        Assert.Equal([2.0, 3, 4, 5], s.Values(Resource.Vram).ToArray());
        Assert.Equal((long)(GenAiFiles.T0 + (2 * 57)) * 1_000_000_000, s.OriginNs);
    }

    [Fact]
    public void Load_PodOnlyInMemoryFile_OnlyVramObserved()
    {
        string duty = GenAiFiles.Duty(GenAiFiles.Rows("a", 3, _ => 50));
        string memory = GenAiFiles.Memory([.. GenAiFiles.Rows("a", 3, _ => 1), .. GenAiFiles.Rows("b", 3, _ => 7)]);

        AlibabaGenAiData data = AlibabaGenAi.LoadFiles(_dir.Write("d.csv", duty), _dir.Write("m.csv", memory), Min3);

        Assert.Equal(2, data.Series.Count);
        Assert.Equal(ObservedSignals.VramFromAllocations, data.Series[1].Observed);
        Assert.Equal([0.0, 0, 0], data.Series[1].Values(Resource.Sm).ToArray());
    }

    [Fact]
    public void Load_PlainCsvInFolderAndOneFileAbsent_Loads()
    {
        _dir.Write(AlibabaGenAi.DutyCycleFile + ".csv", GenAiFiles.Duty(GenAiFiles.Rows("a", 3, i => 10 * i)));

        AlibabaGenAiData data = AlibabaGenAi.Load(_dir.Path, Min3);

        Assert.Equal(ObservedSignals.SmFromGpuIntervals, Assert.Single(data.Series).Observed);
    }
}
