namespace Gpupredict.Ctl.Tests;

/// <summary>
/// A fact that needs <c>native/build/gpupredict-loadgen</c> and the libcuda test double
/// (<c>make -C native</c>); skipped, saying so, where they have not been built.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class LoadgenFactAttribute : FactAttribute
{
    /// <summary>Sets <see cref="FactAttribute.Skip"/> when either binary is missing.</summary>
    public LoadgenFactAttribute()
    {
        string? missing = new[] { Loadgen.Program, Loadgen.FakeLibcuda }.FirstOrDefault(p => !File.Exists(p));
        if (missing is not null)
        {
            Skip = $"{missing} is not built: run make -C native first";
        }
    }
}
