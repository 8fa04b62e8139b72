namespace Gpupredict.Ctl.Tests;

public sealed class BadInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gpupredictctl-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, byte[] content)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static void AssertOneCleanLine(string stderr, string mustContain)
    {
        string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("gpupredictctl: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(mustContain, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Replay_MissingFile_ExitOneNamingTheFile()
    {
        string missing = Path.Combine(_dir, "nope.json");
        (int code, _, string err) = Cli.Run("replay", missing);

        Assert.Equal(1, code);
        AssertOneCleanLine(err, missing);
    }

    [Fact]
    public void Replay_NotATrace_ExitOne()
    {
        string path = Write("garbage.json", "this is not json"u8.ToArray());
        (int code, _, string err) = Cli.Run("replay", path);

        Assert.Equal(1, code);
        AssertOneCleanLine(err, path);
    }

    [Fact]
    public void Replay_TruncatedGzip_ExitOne()
    {
        byte[] whole = File.ReadAllBytes(Path.Combine(RepoPaths.Fixtures, "kineto", "alexnet-a100.json.gz"));
        string path = Write("truncated.json.gz", whole[..(whole.Length / 2)]);
        (int code, _, string err) = Cli.Run("replay", path);

        Assert.Equal(1, code);
        AssertOneCleanLine(err, path);
    }

    [Fact]
    public void Replay_BadInputWithJson_WritesNoFile()
    {
        string path = Write("empty.json", "{\"traceEvents\": []}"u8.ToArray());
        string json = Path.Combine(_dir, "out.json");
        (int code, _, _) = Cli.Run("replay", "--json", json, path);

        Assert.Equal(1, code);
        Assert.False(File.Exists(json));
        Assert.Single(Directory.GetFiles(_dir));
    }

    [Theory]
    [InlineData("replay --frobnicate x t.json", "unknown option --frobnicate")]
    [InlineData("replay --horizon 0 t.json", "option --horizon: expected an integer in [1, 1000], got '0'")]
    [InlineData("replay --policy nosuch t.json", "option --policy: unknown policy 'nosuch'; known: static-peak, reactive, hami, forecast, oracle")]
    [InlineData("replay", "no trace given")]
    [InlineData("replay --copies 0 t.json", "option --copies: expected an integer in [1, 64], got '0'")]
    [InlineData("replay --copies 65 t.json", "option --copies: expected an integer in [1, 64], got '65'")]
    [InlineData("replay --copies many t.json", "option --copies: expected an integer in [1, 64], got 'many'")]
    [InlineData("replay --policy static-peak,static-peak t.json", "a policy is named twice")]
    [InlineData("replay --forecaster nosuch t.json", "unknown forecaster 'nosuch'")]
    [InlineData("launch", "unknown command 'launch'")]
    public void Usage_Errors_ExitTwo(string commandLine, string expected)
    {
        (int code, _, string err) = Cli.Run(commandLine.Split(' '));

        Assert.Equal(2, code);
        Assert.Contains(expected, err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_ListsCommands()
    {
        (int code, string stdout, _) = Cli.Run("help");

        Assert.Equal(0, code);
        Assert.Contains("replay", stdout, StringComparison.Ordinal);
        Assert.Contains("import", stdout, StringComparison.Ordinal);
    }
}
