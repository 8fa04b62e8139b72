namespace Gpupredict.Telemetry.Aggregation;

/// <summary>
/// A fixed number of doubles per open step, for the steps [<see cref="First"/>, <see cref="First"/> + capacity),
/// in one array used as a ring: closing steps frees their rows for later steps without moving anything.
/// The capacity doubles when a step beyond it is touched, up to a set maximum, and never shrinks, so a
/// warmed ring allocates nothing.
/// </summary>
internal sealed class StepRing
{
    private readonly int _width;
    private readonly int _maxRows;
    private double[] _values;
    private int _rows;

    /// <summary>A ring of <paramref name="width"/> doubles per step that may grow to hold <paramref name="maxRows"/> steps (at most 2^26).</summary>
    public StepRing(int width, int maxRows)
    {
        _width = width;
        _maxRows = (int)Math.Min(1u << 26, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)maxRows));
        _rows = Math.Min(16, _maxRows);
        _values = new double[_rows * width];
    }

    /// <summary>The first step held.</summary>
    public long First { get; private set; }

    /// <summary>The row of <paramref name="step"/> (in [<see cref="First"/>, <see cref="First"/> + max rows)), grown into if need be.</summary>
    public Span<double> Row(long step)
    {
        long offset = step - First;
        if (offset >= _rows)
        {
            Grow(offset + 1);
        }

        return _values.AsSpan(Slot(step) * _width, _width);
    }

    /// <summary>The row of <paramref name="step"/> (≥ <see cref="First"/>), or an empty span when no row was ever touched that far: all zeros.</summary>
    public ReadOnlySpan<double> Peek(long step) =>
        step - First < _rows ? _values.AsSpan(Slot(step) * _width, _width) : [];

    /// <summary>Zeroes the rows of the steps before <paramref name="step"/> and makes it the first held.</summary>
    public void Advance(long step)
    {
        long end = Math.Min(step, First + _rows);
        for (long s = First; s < end; s++)
        {
            _values.AsSpan(Slot(s) * _width, _width).Clear();
        }

        First = Math.Max(First, step);
    }

    private int Slot(long step) => (int)(step & (_rows - 1));

    private void Grow(long rowsNeeded)
    {
        int rows = _rows;
        while (rows < rowsNeeded && rows < _maxRows)
        {
            rows *= 2;
        }

        if (rows < rowsNeeded)
        {
            throw new InvalidOperationException($"step {First + rowsNeeded - 1} is more than {_maxRows} steps past the first open step {First}");
        }

        double[] values = new double[rows * _width];
        for (long s = First; s < First + _rows; s++)
        {
            _values.AsSpan(Slot(s) * _width, _width).CopyTo(values.AsSpan((int)(s & (rows - 1)) * _width));
        }

        (_values, _rows) = (values, rows);
    }
}
