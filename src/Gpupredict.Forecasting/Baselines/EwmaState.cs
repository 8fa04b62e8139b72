using Gpupredict.Core.Demand;

namespace Gpupredict.Forecasting.Baselines;

/// <summary>
/// One application's EWMA levels and its recent one-step errors: a ring per resource (which error
/// leaves next) and the same errors kept sorted. Keeping them sorted costs one binary search and one
/// move per step; sorting the window at every prediction cost O(w log w) and was over half of a
/// replay's time (measured on the Alibaba pods).
/// </summary>
internal sealed class EwmaState
{
    private readonly double[][] _errors;
    private readonly double[][] _sorted;
    private int _next;
    private int _count;
    private bool _seeded;

    public EwmaState(int window)
    {
        _errors = new double[Resources.Count][];
        _sorted = new double[Resources.Count][];
        for (int r = 0; r < Resources.Count; r++)
        {
            _errors[r] = new double[window];
            _sorted[r] = new double[window];
        }
    }

    /// <summary>Current smoothed level per resource.</summary>
    public double[] Level { get; } = new double[Resources.Count];

    /// <summary>The last step observed.</summary>
    public long LastStep { get; private set; } = -1;

    public void Update(long step, ResourceVector demand, double alpha)
    {
        if (step <= LastStep)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, $"steps must increase; the last one was {LastStep}");
        }

        LastStep = step;
        foreach (Resource resource in Resources.All)
        {
            int r = (int)resource;
            double x = demand[resource];
            if (!_seeded)
            {
                Level[r] = x;
                continue;
            }

            // The error of the forecast made before x was seen, then the level moves toward x.
            double error = x - Level[r];
            if (_count == _errors[r].Length)
            {
                Remove(_sorted[r], _count, _errors[r][_next]);
                Insert(_sorted[r], _count - 1, error);
            }
            else
            {
                Insert(_sorted[r], _count, error);
            }

            _errors[r][_next] = error;
            Level[r] += alpha * (x - Level[r]);
        }

        if (_seeded)
        {
            _next = (_next + 1) % _errors[0].Length;
            _count = Math.Min(_count + 1, _errors[0].Length);
        }

        _seeded = true;
    }

    /// <summary>The recent errors of resource <paramref name="r"/>, increasing.</summary>
    public ReadOnlySpan<double> SortedErrors(int r) => _sorted[r].AsSpan(0, _count);

    /// <summary>Removes one element equal to <paramref name="value"/> from the first <paramref name="count"/> of <paramref name="sorted"/>.</summary>
    private static void Remove(double[] sorted, int count, double value)
    {
        int at = Array.BinarySearch(sorted, 0, count, value);
        Array.Copy(sorted, at + 1, sorted, at, count - at - 1);
    }

    /// <summary>Inserts <paramref name="value"/> into the first <paramref name="count"/> of <paramref name="sorted"/>, keeping them increasing.</summary>
    private static void Insert(double[] sorted, int count, double value)
    {
        int at = Array.BinarySearch(sorted, 0, count, value);
        at = at < 0 ? ~at : at;
        Array.Copy(sorted, at, sorted, at + 1, count - at);
        sorted[at] = value;
    }
}
