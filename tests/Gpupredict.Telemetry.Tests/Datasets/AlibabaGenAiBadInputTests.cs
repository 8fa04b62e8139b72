using Gpupredict.Telemetry.Datasets;
using Gpupredict.Telemetry.Tests.Support;
using Gpupredict.Telemetry.Traces;

namespace Gpupredict.Telemetry.Tests.Datasets;

/// <summary>Broken files give one <see cref="TraceFormatException"/> naming the file, line, field, expected and found.</summary>
public sealed class AlibabaGenAiBadInputTests : IDisposable
{
    private static readonly AlibabaGenAiOptions Options = new() { MinSamples = 1 };
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private void AssertRejected(string dutyCsv, params string[] parts)
    {
        string path = _dir.Write("duty.csv", dutyCsv);
        TraceFormatException e = Assert.Throws<TraceFormatException>(() => AlibabaGenAi.LoadFiles(path, null, Options));
        Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        foreach (string part in parts)
        {
            Assert.Contains(part, e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Load_ValueNotANumber_NamesLineFieldRangeAndText() =>
        AssertRejected("value,timestamp_anon,container_ip\n1.0,100.0,a\nabc,157.0,a\n", "line 3, field 'value'", "in [0, 100] (percent)", "found 'abc'");

    [Fact]
    public void Load_DutyAbove100_Rejected() =>
        AssertRejected("value,timestamp_anon,container_ip\n100.5,100.0,a\n", "line 2, field 'value'", "found '100.5'");

    [Fact]
    public void Load_HeaderWithoutContainer_NamesTheExpectedColumns() =>
        AssertRejected("value,timestamp_anon,pod\n1,100,a\n", "line 1 (header)", "container_ip", "found 'value,timestamp_anon,pod'");

    [Fact]
    public void Load_RowWithMissingField_NamesTheLine() =>
        AssertRejected("value,timestamp_anon,container_ip\n1,100,a\n2,157\n", "line 3", "expected 3 comma-separated fields", "found 2");

    [Fact]
    public void Load_TwoSamplesOfOnePodAtOneTime_Rejected() =>
        AssertRejected("value,timestamp_anon,container_ip\n1,100,a\n2,157,a\n3,157,a\n", "line 4, field 'timestamp_anon'", "one sample per container and timestamp", "first is on line 3");

    [Fact]
    public void Load_TimestampOffTheGrid_Rejected() =>
        AssertRejected("value,timestamp_anon,container_ip\n1,100,a\n2,157,a\n3,214,a\n4,271,a\n5,300,a\n", "line 6, field 'timestamp_anon'", "expected 100 + a multiple of the 57 s sampling period", "found 300");

    [Fact]
    public void Load_EmptyFile_Rejected() => AssertRejected("", "empty");

    [Fact]
    public void Load_TruncatedTarGz_Rejected()
    {
        byte[] whole = GenAiFiles.TarGz("x.csv", GenAiFiles.Duty(GenAiFiles.Rows("a", 2000, i => i % 100)));
        string path = _dir.Write("cut.tar.gz", whole[..(whole.Length / 2)]);

        TraceFormatException e = Assert.Throws<TraceFormatException>(() => AlibabaGenAi.LoadFiles(path, null, Options));
        Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TarGzWithoutCsv_Rejected()
    {
        string path = _dir.Write("other.tar.gz", GenAiFiles.TarGz("readme.txt", "hello"));

        TraceFormatException e = Assert.Throws<TraceFormatException>(() => AlibabaGenAi.LoadFiles(path, null, Options));
        Assert.Contains("holds no .csv file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FolderWithoutTheFiles_SaysWhatItExpected()
    {
        TraceFormatException e = Assert.Throws<TraceFormatException>(() => AlibabaGenAi.Load(_dir.Path, Options));

        Assert.Contains(AlibabaGenAi.DutyCycleFile, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_SaysNotFound()
    {
        string path = _dir.File("absent.csv");

        TraceFormatException e = Assert.Throws<TraceFormatException>(() => AlibabaGenAi.LoadFiles(path, null, Options));
        Assert.Contains("not found", e.Message, StringComparison.Ordinal);
    }
}
