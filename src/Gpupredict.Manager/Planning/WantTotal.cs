namespace Gpupredict.Manager.Planning;

/// <summary>
/// <see cref="Want.Sum"/> kept as a running total, so that a planner can hold one per GPU and ask
/// "this GPU plus one more" in O(1) instead of summing its members again. Adding the same wants in
/// the same order gives bit for bit what <see cref="Want.Sum"/> gives.
/// </summary>
internal struct WantTotal
{
    private double _vramMedian;
    private double _vramSpread;
    private double _smMedian;
    private double _smSpread;

    /// <summary>The likely total so far: Σ median + √(Σ (likely − median)²), for VRAM (bytes) and SM.</summary>
    public readonly (double Vram, double Sm) Result => (_vramMedian + Math.Sqrt(_vramSpread), _smMedian + Math.Sqrt(_smSpread));

    /// <summary>Adds one application's want.</summary>
    public void Add(in Want w)
    {
        double likelyVram = w.LikelyVram, likelySm = w.LikelySm;
        double mv = Math.Min(w.Median?.VramBytes ?? likelyVram, likelyVram);
        double ms = Math.Min(w.Median?.SmFraction ?? likelySm, likelySm);
        _vramMedian += mv;
        _smMedian += ms;
        _vramSpread += (likelyVram - mv) * (likelyVram - mv);
        _smSpread += (likelySm - ms) * (likelySm - ms);
    }

    /// <summary>This total with <paramref name="w"/> added (this one unchanged).</summary>
    public readonly (double Vram, double Sm) With(in Want w)
    {
        WantTotal t = this;
        t.Add(w);
        return t.Result;
    }
}
