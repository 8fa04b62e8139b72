namespace Gpupredict.Manager.Planning;

/// <summary>
/// The brief's contract for one application and one resource, as pure arithmetic:
/// <c>allocate_gpu_resources(app, predicted, current)</c> serves from what is already pre-allocated
/// when it covers the prediction and requests only the difference otherwise;
/// <c>deallocate_gpu_resources(app, unused)</c> releases what the prediction no longer needs, but
/// only past the hysteresis (or at once when demand has fallen for a sustained window), so grants do
/// not flap.
/// </summary>
internal static class AllocationContract
{
    /// <summary>The amount to hold after allocating for <paramref name="predicted"/> with <paramref name="current"/> already held.</summary>
    /// <param name="predicted">What the forecast says the application will need.</param>
    /// <param name="current">What it holds now (pre-allocated or granted).</param>
    /// <param name="requested">The difference that must be requested (0 when served from what is held).</param>
    public static double Allocate(double predicted, double current, out double requested)
    {
        requested = Math.Max(0, predicted - current);
        return current + requested;
    }

    /// <summary>
    /// The amount to hold after releasing what <paramref name="predicted"/> leaves unused of
    /// <paramref name="held"/>: all of it when <paramref name="sustainedFall"/>, else only when the
    /// unused part exceeds both <paramref name="hysteresis"/> × held and <paramref name="absolute"/>.
    /// </summary>
    public static double Deallocate(double held, double predicted, double hysteresis, double absolute, bool sustainedFall)
    {
        double unused = Math.Max(0, held - predicted);
        bool release = sustainedFall || (unused > hysteresis * held && unused > absolute);
        return release ? held - unused : held;
    }

    /// <summary>Allocate, then deallocate: the grant the application should have next.</summary>
    public static double Next(double predicted, double current, double hysteresis, double absolute, bool sustainedFall)
    {
        double held = Allocate(predicted, current, out double requested);
        return requested > 0 ? held : Deallocate(held, predicted, hysteresis, absolute, sustainedFall);
    }
}
