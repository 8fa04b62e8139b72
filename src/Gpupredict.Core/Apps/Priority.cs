namespace Gpupredict.Core.Apps;

/// <summary>
/// An application's priority: its class first, then a weight that orders applications within a
/// class (higher is more important). Compares by class, then weight.
/// </summary>
/// <param name="Class">The priority class.</param>
/// <param name="Weight">Order within the class, 0..1000; higher wins.</param>
public readonly record struct Priority(PriorityClass Class, int Weight) : IComparable<Priority>
{
    /// <summary>The largest weight a policy may give.</summary>
    public const int MaxWeight = 1000;

    /// <summary>The default for an application no policy names.</summary>
    public static Priority Default => new(PriorityClass.Burstable, 100);

    /// <inheritdoc />
    public int CompareTo(Priority other)
    {
        int byClass = Class.CompareTo(other.Class);
        return byClass != 0 ? byClass : Weight.CompareTo(other.Weight);
    }

    /// <summary>True when <paramref name="a"/> ranks above <paramref name="b"/>.</summary>
    public static bool operator >(Priority a, Priority b) => a.CompareTo(b) > 0;

    /// <summary>True when <paramref name="a"/> ranks below <paramref name="b"/>.</summary>
    public static bool operator <(Priority a, Priority b) => a.CompareTo(b) < 0;

    /// <summary>True when <paramref name="a"/> ranks at or above <paramref name="b"/>.</summary>
    public static bool operator >=(Priority a, Priority b) => a.CompareTo(b) >= 0;

    /// <summary>True when <paramref name="a"/> ranks at or below <paramref name="b"/>.</summary>
    public static bool operator <=(Priority a, Priority b) => a.CompareTo(b) <= 0;
}
