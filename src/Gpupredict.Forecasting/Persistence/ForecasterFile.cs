using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Gpupredict.Forecasting.Persistence;

/// <summary>
/// The envelope of every saved forecaster. Envelope version 2, little-endian:
/// <code>
/// offset  size  field
///      0     4  magic "GPFC" (0x43465047)
///      4     2  envelope version (2)
///      6     2  feature-set version (<see cref="FeatureSetVersion"/>)
///      8     8  body length N in bytes (signed 64-bit)
///     16     N  body: policy name (7-bit-length-prefixed UTF-8), payload version (u16), the policy's payload
///   16+N    32  SHA-256 of bytes [0, 16+N): the whole file before the trailer
/// </code>
/// A file is read whole and its checksum verified before a single body byte is parsed, so a
/// damaged or truncated file never reaches a policy's parser or a native library (LightGBM); the
/// payload must then be read to its last byte. Nested forecasters (a conformal wrapper's inner
/// model) are complete envelopes of their own inside the payload, checked the same way.
/// Envelope-1 files (no checksum) are refused: retrain them.
/// </summary>
public static class ForecasterFile
{
    /// <summary>The first four bytes of a saved forecaster.</summary>
    public const uint Magic = 0x43465047; // "GPFC"

    /// <summary>The envelope version this build writes and reads.</summary>
    public const ushort EnvelopeVersion = 2;

    /// <summary>
    /// The version of the input features the forecasters compute from observed demand (the GBM's
    /// lags and windows, the neural models' per-step inputs). A model trained on other features
    /// would read this build's features as something else, so it is refused; bump this whenever a
    /// feature definition changes meaning.
    /// </summary>
    public const ushort FeatureSetVersion = 1;

    /// <summary>Bytes before the body: magic, envelope version, feature-set version, body length.</summary>
    public const int PrefixBytes = 16;

    /// <summary>Bytes of the SHA-256 trailer.</summary>
    public const int ChecksumBytes = SHA256.HashSizeInBytes;

    /// <summary>The largest body this build reads (1 GiB), so a damaged length cannot ask for more memory.</summary>
    public const long MaxBodyBytes = 1L << 30;

    /// <summary>
    /// A writer for the payload of <paramref name="policy"/> at <paramref name="payloadVersion"/>;
    /// the whole file (prefix, body, checksum) reaches <paramref name="destination"/> when the
    /// writer is disposed, which every caller does with <c>using</c>.
    /// </summary>
    public static BinaryWriter Begin(Stream destination, string policy, ushort payloadVersion)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(policy);
        var w = new ForecasterFileWriter(destination);
        w.Write(policy);
        w.Write(payloadVersion);
        return w;
    }

    /// <summary>Frames <paramref name="body"/> (policy, payload version, payload) as a whole file.</summary>
    internal static void Frame(Stream destination, ReadOnlySpan<byte> body)
    {
        Span<byte> prefix = stackalloc byte[PrefixBytes];
        BinaryPrimitives.WriteUInt32LittleEndian(prefix, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(prefix[4..], EnvelopeVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(prefix[6..], FeatureSetVersion);
        BinaryPrimitives.WriteInt64LittleEndian(prefix[8..], body.Length);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(prefix);
        hash.AppendData(body);
        Span<byte> checksum = stackalloc byte[ChecksumBytes];
        hash.GetHashAndReset(checksum);
        destination.Write(prefix);
        destination.Write(body);
        destination.Write(checksum);
    }

    /// <summary>
    /// Reads a whole saved forecaster from <paramref name="source"/> (to its end), verifies it, and
    /// returns the policy name, its payload version and a reader positioned at the payload.
    /// </summary>
    /// <exception cref="ForecasterFormatException">Not a saved forecaster, another envelope or
    /// feature-set version, truncated or with bytes after the checksum, or a checksum mismatch.</exception>
    public static (string Policy, ushort PayloadVersion, BinaryReader Payload) Open(Stream source)
    {
        ArgumentNullException.ThrowIfNull(source);
        byte[] file = ReadWhole(source);
        int body = Verify(file);
        var reader = new BinaryReader(new MemoryStream(file, PrefixBytes, body, writable: false), Encoding.UTF8);
        try
        {
            return (reader.ReadString(), reader.ReadUInt16(), reader);
        }
        catch (Exception e) when (e is EndOfStreamException or FormatException or ArgumentException)
        {
            reader.Dispose();
            throw new ForecasterFormatException("saved forecaster has a valid checksum but no readable policy name and payload version");
        }
    }

    /// <summary>Checks the prefix, then the checksum, then the feature-set version; returns the body's length.</summary>
    private static int Verify(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 4 || BinaryPrimitives.ReadUInt32LittleEndian(bytes) != Magic)
        {
            string found = bytes.Length < 4 ? $"{bytes.Length} bytes" : $"magic 0x{BinaryPrimitives.ReadUInt32LittleEndian(bytes):x8}";
            throw new ForecasterFormatException($"not a saved forecaster: {found}, expected magic 0x{Magic:x8} (GPFC)");
        }

        if (bytes.Length < PrefixBytes)
        {
            throw new ForecasterFormatException($"saved forecaster is truncated: {bytes.Length} bytes, shorter than its {PrefixBytes}-byte header");
        }

        ushort envelope = BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]);
        if (envelope != EnvelopeVersion)
        {
            throw new ForecasterFormatException(envelope == 1
                ? $"saved forecaster has envelope version 1, which carries no checksum; this build reads {EnvelopeVersion}: retrain it (gpupredictctl train)"
                : $"saved forecaster has envelope version {envelope}, this build reads {EnvelopeVersion} (or the file is damaged)");
        }

        long body = BinaryPrimitives.ReadInt64LittleEndian(bytes[8..]);
        long after = bytes.Length - PrefixBytes;
        if (body < 0 || body > MaxBodyBytes || after != body + ChecksumBytes)
        {
            string what = after < body + ChecksumBytes ? "truncated" : "damaged";
            throw new ForecasterFormatException($"saved forecaster is {what}: its header promises {body} bytes of body and a {ChecksumBytes}-byte checksum, the file holds {after} bytes after the header");
        }

        int end = PrefixBytes + (int)body;
        Span<byte> expected = stackalloc byte[ChecksumBytes];
        SHA256.HashData(bytes[..end], expected);
        ReadOnlySpan<byte> trailer = bytes[end..];
        if (!expected.SequenceEqual(trailer))
        {
            throw new ForecasterFormatException($"saved forecaster checksum mismatch (file damaged or edited): expected {Convert.ToHexStringLower(expected)}, found {Convert.ToHexStringLower(trailer)}");
        }

        ushort features = BinaryPrimitives.ReadUInt16LittleEndian(bytes[6..]);
        if (features != FeatureSetVersion)
        {
            throw new ForecasterFormatException($"saved forecaster was trained on feature-set version {features}, this build reads {FeatureSetVersion}: retrain it");
        }

        return (int)body;
    }

    /// <summary>Fails unless <paramref name="found"/> is <paramref name="expected"/>, naming the policy.</summary>
    public static void RequireVersion(string policy, ushort found, ushort expected)
    {
        if (found != expected)
        {
            throw new ForecasterFormatException($"saved '{policy}' forecaster has payload version {found}; this build reads {expected}");
        }
    }

    /// <summary>Fails unless <paramref name="payload"/> was read to its last byte, naming the policy.</summary>
    public static void RequireEnd(BinaryReader payload, string policy)
    {
        ArgumentNullException.ThrowIfNull(payload);
        long left = payload.BaseStream.Length - payload.BaseStream.Position;
        if (left != 0)
        {
            throw new ForecasterFormatException($"saved '{policy}' forecaster has {left} bytes after its payload");
        }
    }

    private static byte[] ReadWhole(Stream source)
    {
        long limit = PrefixBytes + MaxBodyBytes + ChecksumBytes;
        if (source.CanSeek)
        {
            long left = source.Length - source.Position;
            if (left > limit)
            {
                throw new ForecasterFormatException($"saved forecaster is {left} bytes, more than the {limit} this build reads");
            }

            byte[] all = new byte[left];
            source.ReadExactly(all);
            return all;
        }

        using var copy = new MemoryStream();
        byte[] chunk = new byte[81920];
        int n;
        while ((n = source.Read(chunk)) > 0)
        {
            copy.Write(chunk, 0, n);
            if (copy.Length > limit)
            {
                throw new ForecasterFormatException($"saved forecaster is more than the {limit} bytes this build reads");
            }
        }

        return copy.ToArray();
    }
}
