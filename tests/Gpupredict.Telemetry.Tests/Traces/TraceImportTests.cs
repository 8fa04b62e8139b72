using Gpupredict.Telemetry.Tests.Support;
using Gpupredict.Telemetry.Traces;
using Gpupredict.Telemetry.Traces.Kineto;
using Gpupredict.Telemetry.Traces.Nsys;

namespace Gpupredict.Telemetry.Tests.Traces;

/// <summary>The importer is chosen by content, not by the file name.</summary>
public sealed class TraceImportTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Importers_Known_KinetoThenNsys()
    {
        Assert.Equal([KinetoTraceImporter.FormatName, NsysSqliteImporter.FormatName], TraceImport.Importers.Select(static i => i.Name));
    }

    [Fact]
    public void Load_GzipNamedSqlite_ImportedAsKineto()
    {
        string path = _temp.File("misnamed.sqlite");
        File.Copy(RepoPaths.Fixture(FixtureTraces.Amd), path);
        Assert.Equal(KinetoTraceImporter.FormatName, TraceImport.Load(path).Format);
    }

    [Fact]
    public void Load_SqliteNamedJson_ImportedAsNsys()
    {
        string path = _temp.File("misnamed.json.gz");
        File.Copy(RepoPaths.Fixture(FixtureTraces.Saxpy), path);
        Assert.Equal(NsysSqliteImporter.FormatName, TraceImport.Load(path).Format);
    }

    [Theory]
    [InlineData(new byte[] { 0x1f, 0x8b, 8, 0 }, true, false)]
    [InlineData(new byte[] { (byte)' ', (byte)'{' }, true, false)]
    [InlineData(new byte[] { (byte)'[', (byte)'{' }, false, false)]
    [InlineData(new byte[] { (byte)'S', (byte)'Q', (byte)'L' }, false, false)]
    public void Recognizes_Head_ByMagic(byte[] head, bool kineto, bool nsys)
    {
        Assert.Equal(kineto, new KinetoTraceImporter().Recognizes("x", head));
        Assert.Equal(nsys, new NsysSqliteImporter().Recognizes("x", head));
    }

    [Fact]
    public void Recognizes_SqliteHeader_OnlyNsys()
    {
        byte[] head = "SQLite format 3\0 and more"u8.ToArray();
        Assert.True(new NsysSqliteImporter().Recognizes("x.json", head));
        Assert.False(new KinetoTraceImporter().Recognizes("x.sqlite", head));
    }
}
