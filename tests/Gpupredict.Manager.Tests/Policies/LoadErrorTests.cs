using System.Text;
using Gpupredict.Manager.Policies;

namespace Gpupredict.Manager.Tests.Policies;

public sealed class LoadErrorTests : IDisposable
{
    // Scratch files live next to the test binaries, not in the shared temp folder.
    private readonly string _dir = Path.Combine(AppContext.BaseDirectory, "policy-scratch", Guid.NewGuid().ToString("N"));

    public LoadErrorTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Load_MissingFile_Wrapped()
    {
        string path = Path.Combine(_dir, "absent.yaml");

        var e = Assert.Throws<PolicyFormatException>(() => PolicyLoader.Load(path));
        Assert.Equal((path, 0, 0, "no such file"), (e.Source, e.Line, e.Column, e.Found));
        Assert.Equal($"{path}: expected an existing policy file, found no such file", e.Message);
    }

    [Fact]
    public void Load_Directory_Rejected() =>
        Assert.Equal("a directory", Assert.Throws<PolicyFormatException>(() => PolicyLoader.Load(_dir)).Found);

    [Fact]
    public void Load_CharacterDevice_RejectedWithoutReading()
    {
        if (!File.Exists("/dev/null"))
        {
            return; // Not Linux: no character device to try.
        }

        Assert.Equal("an empty or special file", Assert.Throws<PolicyFormatException>(() => PolicyLoader.Load("/dev/null")).Found);
    }

    [Fact]
    public void Load_OverOneMiB_Rejected()
    {
        string path = Write("big.yaml", Encoding.ASCII.GetBytes("version: 1\n#" + new string('x', PolicyLoader.MaxBytes)));

        var e = Assert.Throws<PolicyFormatException>(() => PolicyLoader.Load(path));
        Assert.Contains("at most 1 MiB", e.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InvalidUtf8_Wrapped()
    {
        string path = Write("latin1.yaml", [.. "version: 1\n# caf"u8, 0xE9, (byte)'\n']);

        var e = Assert.Throws<PolicyFormatException>(() => PolicyLoader.Load(path));
        Assert.Equal("bytes that are not UTF-8", e.Found);
        Assert.IsType<DecoderFallbackException>(e.InnerException);
    }

    [Fact]
    public void Load_Utf8Bom_Accepted()
    {
        string path = Write("bom.yaml", [0xEF, 0xBB, 0xBF, .. "version: 1\n"u8]);

        Assert.Equal(path, PolicyLoader.Load(path).Source);
    }

    [Fact]
    public void Load_SchemaError_NamesThePath()
    {
        string path = Write("bad.yaml", "version: 1\ndefault: { weight: x }\n"u8.ToArray());

        Assert.StartsWith($"{path}:2:20: default.weight:", Assert.Throws<PolicyFormatException>(() => PolicyLoader.Load(path)).Message, StringComparison.Ordinal);
    }

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
