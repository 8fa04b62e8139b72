using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using Gpupredict.Telemetry.Datasets;
using Gpupredict.Telemetry.Tests.Support;

namespace Gpupredict.Telemetry.Tests.Datasets;

/// <summary>Writes small files shaped like the Alibaba GenAI metric files (column order as published).</summary>
internal static class GenAiFiles
{
    public const double T0 = 1662858720;
    public const double Step = 57;

    /// <summary>Duty-cycle CSV text: header "value,timestamp_anon,container_ip", one row per (pod, step index, percent).</summary>
    public static string Duty(params (string Pod, int Step, double Percent)[] rows) =>
        "value,timestamp_anon,container_ip\n" + string.Concat(rows.Select(r => FormattableString.Invariant($"{r.Percent},{T0 + (r.Step * Step):0.0},{r.Pod}\n")));

    /// <summary>Memory CSV text: header "timestamp_anon,value,container_ip".</summary>
    public static string Memory(params (string Pod, int Step, double Bytes)[] rows) =>
        "timestamp_anon,value,container_ip\n" + string.Concat(rows.Select(r => FormattableString.Invariant($"{T0 + (r.Step * Step):0.0},{r.Bytes:0.0},{r.Pod}\n")));

    /// <summary>A tar.gz holding <paramref name="csv"/> as one entry, as the publisher packs them.</summary>
    public static byte[] TarGz(string entryName, string csv)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: false))
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, entryName) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(csv)) });
        }

        return buffer.ToArray();
    }

    /// <summary>Writes both metrics into the folder as tar.gz files; returns the folder.</summary>
    public static string WriteFolder(TempDirectory dir, string duty, string memory)
    {
        dir.Write(AlibabaGenAi.DutyCycleFile + ".tar.gz", TarGz(AlibabaGenAi.DutyCycleFile + ".csv", duty));
        dir.Write(AlibabaGenAi.MemoryFile + ".tar.gz", TarGz(AlibabaGenAi.MemoryFile + ".csv", memory));
        return dir.Path;
    }

    /// <summary>Rows (pod, 0..n-1, f(i)).</summary>
    public static (string Pod, int Step, double Value)[] Rows(string pod, int n, Func<int, double> value) =>
        [.. Enumerable.Range(0, n).Select(i => (pod, i, value(i)))];
}
