using System.Text;

namespace Gpupredict.Forecasting.Persistence;

/// <summary>
/// The writer <see cref="ForecasterFile.Begin"/> hands a policy: collects the body in memory and,
/// on dispose, writes the framed file (prefix, body, SHA-256 trailer) to the destination in one go,
/// since the prefix holds the body's length and the trailer covers all of it.
/// </summary>
internal sealed class ForecasterFileWriter : BinaryWriter
{
    private readonly Stream _destination;
    private readonly MemoryStream _body;
    private bool _written;

    /// <summary>A writer whose file reaches <paramref name="destination"/> (left open) on dispose.</summary>
    public ForecasterFileWriter(Stream destination)
        : this(destination, new MemoryStream())
    {
    }

    private ForecasterFileWriter(Stream destination, MemoryStream body)
        : base(body, Encoding.UTF8, leaveOpen: true)
    {
        _destination = destination;
        _body = body;
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_written)
        {
            _written = true;
            Flush();
            ForecasterFile.Frame(_destination, _body.GetBuffer().AsSpan(0, (int)_body.Length));
            _body.Dispose();
        }

        base.Dispose(disposing);
    }
}
