using Gpupredict.Core.Demand;

namespace Gpupredict.Forecasting.Baselines;

/// <summary>One application's EWMA levels and its recent one-step errors (a ring per resource).</summary>
internal sealed class EwmaState
{
    private readonly double[][] _errors;
    private int _next;
    private int _count;
    private bool _seeded;

    public EwmaState(int window)
    {
        _errors = new double[Resources.Count][];
        for (int r = 0; r < Resources.Count; r++)
        {
            _errors[r] = new double[window];
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
            _errors[r][_next] = x - Level[r];
            Level[r] += alpha * (x - Level[r]);
        }

        if (_seeded)
        {
            _next = (_next + 1) % _errors[0].Length;
            _count = Math.Min(_count + 1, _errors[0].Length);
        }

        _seeded = true;
    }

    /// <summary>Copies the recent errors of resource <paramref name="r"/> into <paramref name="destination"/>; returns how many.</summary>
    public int CopyErrors(int r, Span<double> destination)
    {
        _errors[r].AsSpan(0, _count).CopyTo(destination);
        return _count;
    }
}
