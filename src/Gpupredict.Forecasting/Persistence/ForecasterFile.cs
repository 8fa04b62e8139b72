using System.Text;

namespace Gpupredict.Forecasting.Persistence;

/// <summary>
/// The envelope of every saved forecaster: magic "GPFC", the envelope version, the policy name and
/// the policy's own payload version, then the payload (little-endian, written by the policy).
/// </summary>
public static class ForecasterFile
{
    /// <summary>The first four bytes of a saved forecaster.</summary>
    public const uint Magic = 0x43465047; // "GPFC"

    /// <summary>The envelope version this build writes and reads.</summary>
    public const ushort EnvelopeVersion = 1;

    /// <summary>Opens a writer positioned after the header for <paramref name="policy"/> at <paramref name="payloadVersion"/>.</summary>
    public static BinaryWriter Begin(Stream destination, string policy, ushort payloadVersion)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var w = new BinaryWriter(destination, Encoding.UTF8, leaveOpen: true);
        w.Write(Magic);
        w.Write(EnvelopeVersion);
        w.Write(policy);
        w.Write(payloadVersion);
        return w;
    }

    /// <summary>Reads the header; returns the policy name and payload version, the reader positioned at the payload.</summary>
    /// <exception cref="ForecasterFormatException">Not a saved forecaster, or a version this build does not read.</exception>
    public static (string Policy, ushort PayloadVersion) ReadHeader(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        try
        {
            uint magic = reader.ReadUInt32();
            if (magic != Magic)
            {
                throw new ForecasterFormatException($"not a saved forecaster: magic 0x{magic:x8}, expected 0x{Magic:x8} (GPFC)");
            }

            ushort envelope = reader.ReadUInt16();
            if (envelope != EnvelopeVersion)
            {
                throw new ForecasterFormatException($"saved forecaster envelope version {envelope}; this build reads {EnvelopeVersion}");
            }

            return (reader.ReadString(), reader.ReadUInt16());
        }
        catch (EndOfStreamException)
        {
            throw new ForecasterFormatException("saved forecaster is truncated in its header");
        }
    }

    /// <summary>Fails unless <paramref name="found"/> is <paramref name="expected"/>, naming the policy.</summary>
    public static void RequireVersion(string policy, ushort found, ushort expected)
    {
        if (found != expected)
        {
            throw new ForecasterFormatException($"saved '{policy}' forecaster has payload version {found}; this build reads {expected}");
        }
    }
}
