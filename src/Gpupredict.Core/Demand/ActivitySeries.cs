namespace Gpupredict.Core.Demand;

/// <summary>
/// One application's activity per 10 ms step (<see cref="ActivityChannel"/>), aligned with its
/// <see cref="DemandSeries"/>: step <c>i</c> holds <see cref="Channels"/> values. Immutable once
/// built; values are validated (finite, ≥ 0) on construction.
/// </summary>
public sealed class ActivitySeries
{
    /// <summary>Values per step: one per <see cref="ActivityChannel"/>.</summary>
    public const int Channels = 12;

    private readonly double[] _values;

    /// <summary>Builds a series from step-major values (the array is taken, not copied).</summary>
    /// <param name="values">Step <c>i</c>, channel <c>c</c> at <c>i × Channels + c</c>.</param>
    /// <exception cref="ArgumentException">The length is not a multiple of <see cref="Channels"/>, or a value is negative or not finite.</exception>
    public ActivitySeries(double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length % Channels != 0)
        {
            throw new ArgumentException($"{values.Length} values are not a whole number of steps of {Channels} channels", nameof(values));
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]) || values[i] < 0)
            {
                throw new ArgumentException($"step {i / Channels}, {(ActivityChannel)(i % Channels)} = {values[i]} is not a finite value ≥ 0", nameof(values));
            }
        }

        _values = values;
    }

    /// <summary>The number of steps.</summary>
    public int Count => _values.Length / Channels;

    /// <summary>The <see cref="Channels"/> values of step <paramref name="step"/>, indexed by <see cref="ActivityChannel"/>.</summary>
    public ReadOnlySpan<double> At(int step) => _values.AsSpan(step * Channels, Channels);

    /// <summary>The value of one channel in one step.</summary>
    public double this[int step, ActivityChannel channel] => _values[(step * Channels) + (int)channel];

    /// <summary>The first <paramref name="count"/> steps as a new series.</summary>
    public ActivitySeries Head(int count) => new(_values[..(count * Channels)]);

    /// <summary>The sum of one channel over all steps.</summary>
    public double Total(ActivityChannel channel)
    {
        double sum = 0;
        for (int i = (int)channel; i < _values.Length; i += Channels)
        {
            sum += _values[i];
        }

        return sum;
    }
}
