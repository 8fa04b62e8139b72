using System.Text;
using CsCheck;
using Gpupredict.Core.Forecasts;
using Gpupredict.Forecasting.Neural;
using Gpupredict.Forecasting.Persistence;
using Gpupredict.Forecasting.Tests.Gbm;

namespace Gpupredict.Forecasting.Tests.Persistence;

/// <summary>
/// A damaged saved forecaster, of any policy, is refused with <see cref="ForecasterFormatException"/>:
/// never another exception, never a process abort in a native parser, never accepted.
/// </summary>
public class DamagedFileTests
{
    public static TheoryData<string> Names() => new(SavedForecasters.Names());

    private static Exception? LoadError(byte[] file) => Record.Exception(() => Forecasters.Load(new MemoryStream(file, writable: false)));

    [Theory]
    [MemberData(nameof(Names))]
    public void Load_Undamaged_PredictsAsTheSavedOne(string name)
    {
        IForecaster original = SavedForecasters.Fitted(name);
        byte[] file = SavedForecasters.Save(original);
        IForecaster loaded = Forecasters.Load(new MemoryStream(file));

        Assert.Equal(name, loaded.Name);
        Assert.Equal(file, SavedForecasters.Save(loaded));
        Assert.Equal(SavedForecasters.Forecast(original, GbmTestSeries.PeriodicBursts(7, 120, 7)), SavedForecasters.Forecast(loaded, GbmTestSeries.PeriodicBursts(7, 120, 7)));
    }

    [Fact]
    public void Load_AnySingleByteFlipped_RefusedAsFormatError()
    {
        (string Name, byte[] File)[] files = SavedForecasters.Files;
        Gen.Select(Gen.Int[0, files.Length - 1], Gen.Double[0, 1], Gen.Byte[1, 255]).Sample((policy, where, mask) =>
        {
            byte[] file = [.. files[policy].File];
            int at = Math.Min((int)(where * file.Length), file.Length - 1);
            file[at] ^= mask;
            Exception? e = LoadError(file);
            Assert.True(e is ForecasterFormatException, $"{files[policy].Name}: byte {at} of {file.Length} xor 0x{mask:x2} gave {e?.GetType().Name ?? "no error"}: {e?.Message}");
        }, iter: 3000);
    }

    [Fact]
    public void Load_EveryByteOfEachFileFlippedOnce_RefusedAsFormatError()
    {
        // Exhaustive over the small files (header, payload and trailer of the baselines); the
        // property above samples the large ones.
        foreach ((string name, byte[] saved) in SavedForecasters.Files.Where(f => f.File.Length <= 4096))
        {
            for (int at = 0; at < saved.Length; at++)
            {
                byte[] file = [.. saved];
                file[at] ^= 0x01;
                Exception? e = LoadError(file);
                Assert.True(e is ForecasterFormatException, $"{name}: byte {at} flipped gave {e?.GetType().Name ?? "no error"}");
            }
        }
    }

    [Fact]
    public void Load_AnySingleByteFlippedWithAFreshChecksum_LoadsOrRefusedAsFormatError()
    {
        // A forger (or a bug) can write a well-formed, checksummed file: the payload parsers behind
        // the checksum must then refuse with the one exception the loaders catch, never another.
        (string Name, byte[] File)[] files = SavedForecasters.Files;
        Gen.Select(Gen.Int[0, files.Length - 1], Gen.Double[0, 1], Gen.Byte[1, 255]).Sample((policy, where, mask) =>
        {
            byte[] file = [.. files[policy].File];
            int at = ForecasterFile.PrefixBytes + Math.Min((int)(where * (file.Length - ForecasterFile.PrefixBytes - ForecasterFile.ChecksumBytes)), file.Length - ForecasterFile.PrefixBytes - ForecasterFile.ChecksumBytes - 1);
            file[at] ^= mask;
            Exception? e = LoadError(SavedForecasters.Rechecksummed(file));
            Assert.True(e is null or ForecasterFormatException, $"{files[policy].Name}: byte {at} of {file.Length} xor 0x{mask:x2} with a fresh checksum gave {e?.GetType().Name}: {e?.Message}");
        }, iter: 3000);
    }

    [Fact]
    public void Load_AnyTruncation_RefusedAsTruncated()
    {
        (string Name, byte[] File)[] files = SavedForecasters.Files;
        Gen.Select(Gen.Int[0, files.Length - 1], Gen.Double[0, 1]).Sample((policy, where) =>
        {
            byte[] saved = files[policy].File;
            int length = Math.Min((int)(where * saved.Length), saved.Length - 1);
            Exception? e = LoadError(saved[..length]);
            Assert.True(e is ForecasterFormatException, $"{files[policy].Name}: cut to {length} of {saved.Length} gave {e?.GetType().Name ?? "no error"}");
            Assert.Matches(length < 4 ? "not a saved forecaster" : "truncated", e!.Message);
        }, iter: 1000);
    }

    [Fact]
    public void Load_GbmWithTree0RenamedXree0_RefusedByTheChecksum()
    {
        byte[] file = SavedForecasters.File("gbm");
        Rename(file, "Tree=0", "Xree=0");

        var e = Assert.Throws<ForecasterFormatException>(() => Forecasters.Load(new MemoryStream(file)));
        Assert.StartsWith("saved forecaster checksum mismatch (file damaged or edited): expected ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_GbmWithTree0RenamedXree0AndAFreshChecksum_RefusedBeforeLightGbm()
    {
        // A well-formed, checksummed file with broken model text: LightGBM would read past the text
        // (the tree sizes no longer land on trees) and abort the process; the managed check refuses it.
        byte[] file = SavedForecasters.File("gbm");
        Rename(file, "Tree=0", "Xree=0");

        var e = Assert.Throws<ForecasterFormatException>(() => Forecasters.Load(new MemoryStream(SavedForecasters.Rechecksummed(file))));
        Assert.Contains("saved 'gbm' forecaster holds a model text that is not a LightGBM model", e.Message, StringComparison.Ordinal);
        Assert.Contains("Tree=0", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_LstmWithTwentyBytesFlipped_RefusedByTheChecksum()
    {
        // Twenty flips among the weights used to load silently and change the forecasts.
        byte[] file = SavedForecasters.File(LstmQuantileForecaster.PolicyName);
        var rng = new Random(20);
        int payload = ForecasterFile.PrefixBytes + 64;
        foreach (int at in Enumerable.Range(payload, file.Length - ForecasterFile.ChecksumBytes - payload).OrderBy(_ => rng.Next()).Take(20))
        {
            file[at] ^= (byte)rng.Next(1, 256);
        }

        var e = Assert.Throws<ForecasterFormatException>(() => Forecasters.Load(new MemoryStream(file)));
        Assert.Contains("checksum mismatch", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ConformalWithItsInnerLstmDamagedAndOuterRechecksummed_RefusedByTheInnerChecksum()
    {
        byte[] file = SavedForecasters.File("conformal-lstm");
        int inner = file.AsSpan(4).IndexOf("GPFC"u8) + 4;
        Assert.True(inner > 4, "no inner envelope");
        file[inner + 100] ^= 0x40;

        var e = Assert.Throws<ForecasterFormatException>(() => Forecasters.Load(new MemoryStream(SavedForecasters.Rechecksummed(file))));
        Assert.StartsWith("saved 'conformal-lstm' forecaster's inner model: saved forecaster checksum mismatch", e.Message, StringComparison.Ordinal);
    }

    private static void Rename(byte[] file, string from, string to)
    {
        int at = file.AsSpan().IndexOf(Encoding.ASCII.GetBytes(from));
        Assert.True(at > 0, $"no '{from}' in the file");
        Encoding.ASCII.GetBytes(to).CopyTo(file, at);
    }
}
