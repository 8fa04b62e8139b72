namespace Gpupredict.Interop.Tests.Abi;

public sealed class NativeLayoutTests
{
    [Fact]
    public void MissingTools_EmptyPath_NamesMakeAndCompiler()
    {
        string? message = NativeLayout.MissingTools("/nonexistent-gpupredict-bin", cc: null);

        Assert.NotNull(message);
        Assert.Contains("make and cc cannot be found on PATH", message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingTools_CcNamesACompilerWithArguments_ChecksItsFirstWord()
    {
        string? message = NativeLayout.MissingTools("/nonexistent-gpupredict-bin", cc: "gp-missing-cc -m64");

        Assert.Contains("make and gp-missing-cc cannot", message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingTools_SystemPath_FindsBoth()
    {
        Assert.Null(NativeLayout.MissingTools(Environment.GetEnvironmentVariable("PATH"), cc: null));
    }
}
