using System.Buffers.Binary;
using System.Security.Cryptography;
using Gpupredict.Forecasting.Persistence;

namespace Gpupredict.Forecasting.Tests.Persistence;

/// <summary>The envelope: its layout, and each way a file can be wrong refused with its own message.</summary>
public sealed class ForecasterFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gpupredict-forecaster-file-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] Ewma() => SavedForecasters.File("ewma");

    private static ForecasterFormatException Refused(byte[] file) =>
        Assert.Throws<ForecasterFormatException>(() => Forecasters.Load(new MemoryStream(file)));

    [Fact]
    public void Save_Layout_PrefixBodyAndSha256OfEverythingBefore()
    {
        byte[] file = Ewma();

        Assert.Equal("GPFC"u8.ToArray(), file[..4]);
        Assert.Equal(ForecasterFile.EnvelopeVersion, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(4)));
        Assert.Equal(ForecasterFile.FeatureSetVersion, BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(6)));
        Assert.Equal(file.Length - 16 - 32, BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(8)));
        Assert.Equal(SHA256.HashData(file.AsSpan(0, file.Length - 32)), file[^32..]);
        Assert.Equal((byte)"ewma".Length, file[16]);
    }

    [Fact]
    public void Load_EnvelopeVersion1_RefusedSayingRetrain()
    {
        byte[] file = Ewma();
        file[4] = 1;

        Assert.Equal("saved forecaster has envelope version 1, which carries no checksum; this build reads 2: retrain it (gpupredictctl train)", Refused(file).Message);
    }

    [Fact]
    public void Load_OtherEnvelopeVersion_RefusedNamingBoth()
    {
        byte[] file = Ewma();
        file[4] = 3;

        Assert.StartsWith("saved forecaster has envelope version 3, this build reads 2", Refused(file).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_OtherFeatureSetVersion_RefusedNamingBoth()
    {
        byte[] file = Ewma();
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(6), 99);

        Assert.Equal("saved forecaster was trained on feature-set version 99, this build reads 1: retrain it", Refused(SavedForecasters.Rechecksummed(file)).Message);
    }

    [Fact]
    public void Load_FeatureSetVersionEditedWithoutTheChecksum_RefusedAsDamaged()
    {
        byte[] file = Ewma();
        BinaryPrimitives.WriteUInt16LittleEndian(file.AsSpan(6), 99);

        string expected = Convert.ToHexStringLower(SHA256.HashData(file.AsSpan(0, file.Length - 32)));
        string found = Convert.ToHexStringLower(file[^32..]);
        Assert.Equal($"saved forecaster checksum mismatch (file damaged or edited): expected {expected}, found {found}", Refused(file).Message);
    }

    [Fact]
    public void Load_BytesAfterTheChecksum_Refused()
    {
        byte[] file = [.. Ewma(), 0];

        Assert.Contains($"the file holds {file.Length - 16} bytes after the header", Refused(file).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_LengthOfAnExabyte_RefusedWithoutReadingIt()
    {
        byte[] file = Ewma();
        BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(8), 1L << 60);

        Assert.StartsWith("saved forecaster is truncated: its header promises 1152921504606846976 bytes", Refused(file).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PayloadLongerThanThePolicyReads_Refused()
    {
        byte[] file = Ewma();
        using var framed = new MemoryStream();
        ForecasterFile.Frame(framed, [.. file[16..^32], 7]);

        Assert.Equal("saved 'ewma' forecaster has 1 bytes after its payload", Refused(framed.ToArray()).Message);
    }

    [Fact]
    public void Load_NotSeekable_ReadsTheSame()
    {
        byte[] file = Ewma();
        using var pipe = new BufferedStream(new NonSeekable(file));

        Assert.Equal(file, SavedForecasters.Save(Forecasters.Load(pipe)));
    }

    [Fact]
    public void LoadPath_Damaged_OneLineNamingTheFile()
    {
        string path = Path.Join(_dir, "ewma.gpfc");
        byte[] file = Ewma();
        file[20] ^= 0xff;
        File.WriteAllBytes(path, file);

        var e = Assert.Throws<ForecasterFormatException>(() => Forecasters.Catalog.Load(path));
        Assert.StartsWith($"{path}: saved forecaster checksum mismatch (file damaged or edited): expected ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(path, e.FilePath);
        Assert.StartsWith("saved forecaster checksum mismatch", e.Reason, StringComparison.Ordinal);
    }

    /// <summary>A read-only stream that cannot seek or tell its length, as a pipe.</summary>
    private sealed class NonSeekable(byte[] bytes) : Stream
    {
        private readonly MemoryStream _inner = new(bytes);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
