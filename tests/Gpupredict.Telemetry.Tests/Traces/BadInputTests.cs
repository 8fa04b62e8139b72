using System.IO.Compression;
using Gpupredict.Telemetry.Tests.Support;
using Gpupredict.Telemetry.Traces;
using Gpupredict.Telemetry.Traces.Nsys;
using Microsoft.Data.Sqlite;

namespace Gpupredict.Telemetry.Tests.Traces;

/// <summary>
/// Broken input gives a <see cref="TraceFormatException"/> whose message is one line starting with
/// the file path, saying what is wrong — never another exception type and never a partial trace.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Load_MissingFile_SaysNotFound()
    {
        string path = _temp.File("absent.json.gz");
        AssertRejected(path, "file not found");
    }

    [Fact]
    public void Load_MissingDirectory_SaysNotFound()
    {
        string path = Path.Combine(_temp.Path, "no-such-dir", "trace.sqlite");
        AssertRejected(path, "file not found");
    }

    [Fact]
    public void Load_EmptyFile_SaysEmpty()
    {
        string path = _temp.Write("empty.json", []);
        AssertRejected(path, "the file is empty");
    }

    [Fact]
    public void Load_TruncatedGzip_SaysTruncated()
    {
        byte[] whole = File.ReadAllBytes(RepoPaths.Fixture(FixtureTraces.Alexnet));
        string path = _temp.Write("cut.json.gz", whole[..(whole.Length / 2)]);
        AssertRejected(path, "gzip stream is truncated");
    }

    [Fact]
    public void Load_GzipCutInsideHeader_SaysTruncated()
    {
        byte[] whole = File.ReadAllBytes(RepoPaths.Fixture(FixtureTraces.Alexnet));
        string path = _temp.Write("cut.json.gz", whole[..20]);
        AssertRejected(path, "gzip stream is truncated");
    }

    [Fact]
    public void Load_Garbage_SaysNotRecognized()
    {
        string path = _temp.Write("garbage.json", "hello, this is not a trace\n");
        AssertRejected(path, "not a recognized trace format");
    }

    [Fact]
    public void Load_BrokenJson_SaysInvalidJson()
    {
        string path = _temp.Write("broken.json", "{\"traceEvents\": [{\"ph\": \"X\", \"cat\": \"kernel\", ");
        AssertRejected(path, "invalid JSON");
    }

    [Fact]
    public void Load_GzippedNonJson_SaysInvalidJson()
    {
        string path = _temp.Write("text.json.gz", Gzip("this is plain text, not JSON"u8.ToArray()));
        AssertRejected(path, "invalid JSON (after gunzip)");
    }

    [Fact]
    public void Load_JsonWithoutTraceEvents_SaysNoTraceEvents()
    {
        string path = _temp.Write("other.json", "{\"schemaVersion\": 1, \"deviceProperties\": []}");
        AssertRejected(path, "no \"traceEvents\" array");
    }

    [Fact]
    public void Load_TraceEventsNotArray_SaysExpectedArray()
    {
        string path = _temp.Write("other.json", "{\"traceEvents\": {}}");
        AssertRejected(path, "\"traceEvents\" is StartObject, expected an array");
    }

    [Fact]
    public void Load_EmptyTraceEvents_SaysNoEvents()
    {
        string path = _temp.Write("empty-events.json", "{\"traceEvents\": []}");
        AssertRejected(path, "the trace has no events");
    }

    [Fact]
    public void Load_OnlyMetadataEvents_SaysNothingToImport()
    {
        string path = _temp.Write("meta.json", "{\"traceEvents\": [{\"name\": \"process_name\", \"ph\": \"M\", \"pid\": 7, \"args\": {\"name\": \"x\"}}]}");
        AssertRejected(path, "nothing to import");
    }

    [Fact]
    public void Load_KernelWithoutTimestamp_NamesTheEvent()
    {
        string path = _temp.Write("no-ts.json", "{\"traceEvents\": [{\"ph\": \"X\", \"cat\": \"cpu_op\", \"pid\": 1, \"tid\": 1, \"ts\": 5, \"dur\": 1},"
            + "{\"ph\": \"X\", \"cat\": \"kernel\", \"pid\": 0, \"tid\": 7, \"ts\": \"soon\"}]}");
        AssertRejected(path, "traceEvents[1] (Kernel): field \"ts\" is missing or not a number");
    }

    [Fact]
    public void Load_SqliteWithoutNsysTables_NamesMissingTable()
    {
        string path = _temp.File("other.sqlite");
        Sql(path, "CREATE TABLE notes (id INTEGER, text TEXT); INSERT INTO notes VALUES (1, 'hello');");
        AssertRejected(path, "missing table CUPTI_ACTIVITY_KIND_KERNEL");
    }

    [Fact]
    public void Load_RuntimeWithoutStringIds_NamesMissingTable()
    {
        string path = _temp.File("no-strings.sqlite");
        Sql(path, "CREATE TABLE CUPTI_ACTIVITY_KIND_RUNTIME (start INTEGER, end INTEGER, globalTid INTEGER, correlationId INTEGER, nameId INTEGER);"
            + "INSERT INTO CUPTI_ACTIVITY_KIND_RUNTIME VALUES (1, 2, 16777217, 1, 5);");
        AssertRejected(path, "missing table StringIds");
    }

    [Fact]
    public void Load_KernelTableMissingColumn_NamesColumn()
    {
        string path = _temp.File("old.sqlite");
        Sql(path, "CREATE TABLE CUPTI_ACTIVITY_KIND_KERNEL (start INTEGER, end INTEGER, deviceId INTEGER);");
        AssertRejected(path, "table CUPTI_ACTIVITY_KIND_KERNEL lacks column \"streamId\"");
    }

    [Fact]
    public void Load_NsysTablesWithoutRows_SaysEmpty()
    {
        string path = _temp.File("empty.sqlite");
        File.Copy(RepoPaths.Fixture(FixtureTraces.Saxpy), path);
        Sql(path, "DELETE FROM CUPTI_ACTIVITY_KIND_KERNEL; DELETE FROM CUPTI_ACTIVITY_KIND_MEMCPY; DELETE FROM CUPTI_ACTIVITY_KIND_RUNTIME;");
        AssertRejected(path, "the trace is empty");
    }

    [Fact]
    public void Load_NegativeKernelStart_NamesRowAndColumn()
    {
        string path = _temp.File("negative.sqlite");
        File.Copy(RepoPaths.Fixture(FixtureTraces.Saxpy), path);
        Sql(path, "UPDATE CUPTI_ACTIVITY_KIND_KERNEL SET start = -5 WHERE rowid = (SELECT min(rowid) FROM CUPTI_ACTIVITY_KIND_KERNEL);");
        AssertRejected(path, "table CUPTI_ACTIVITY_KIND_KERNEL, row 0, column \"start\": expected a time in ns >= 0, found -5");
    }

    [Fact]
    public void Load_TruncatedSqlite_SaysSqliteError()
    {
        byte[] whole = File.ReadAllBytes(RepoPaths.Fixture(FixtureTraces.Saxpy));
        string path = _temp.Write("cut.sqlite", whole[..8192]);
        AssertRejected(path, "SQLite error while");
    }

    [Fact]
    public void NsysImport_NotSqliteFile_SaysNotSqlite()
    {
        string path = _temp.Write("fake.sqlite", "SQLite? no, just text pretending to be one\n");
        var e = Assert.Throws<TraceFormatException>(() => new NsysSqliteImporter().Import(path));
        AssertOneLine(e, path, "not an SQLite database");
    }

    [Fact]
    public void Load_NotSqliteWithSqliteExtension_SaysNotRecognized()
    {
        string path = _temp.Write("fake.sqlite", "SQLite? no, just text pretending to be one\n");
        AssertRejected(path, "not a recognized trace format");
    }

    private static void AssertRejected(string path, string expected)
    {
        var e = Assert.Throws<TraceFormatException>(() => TraceImport.Load(path));
        AssertOneLine(e, path, expected);
    }

    private static void AssertOneLine(TraceFormatException e, string path, string expected)
    {
        Assert.Equal(path, e.FilePath);
        Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain('\r', e.Message);
    }

    private static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest))
        {
            gzip.Write(content);
        }

        return buffer.ToArray();
    }

    private static void Sql(string path, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, ForeignKeys = false }.ToString());
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
