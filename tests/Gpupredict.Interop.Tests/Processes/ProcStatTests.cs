using Gpupredict.Interop.Processes;

namespace Gpupredict.Interop.Tests.Processes;

public sealed class ProcStatTests
{
    // Fields 1..22 of a real line with field 22 (starttime) = 268648; the command name holds ") (".
    private const string Line = "21557 (a) (b c) R 21553 21553 19126 0 -1 4194304 126 0 0 0 0 0 0 0 20 0 1 0 268648 3133440 415 18446744073709551615\n";

    [Fact]
    public void TryParseStartTime_CommandWithSpacesAndParentheses_ReadsField22()
    {
        Assert.True(ProcStat.TryParseStartTime(Line, out ulong startTime));
        Assert.Equal(268648UL, startTime);
    }

    [Theory]
    [InlineData("21557 cat R 1 2")] // no ')'
    [InlineData("21557 (cat) R 1 2 3")] // too few fields
    [InlineData("21557 (cat) R 21553 21553 19126 0 -1 4194304 126 0 0 0 0 0 0 0 20 0 1 0 x 1")]
    public void TryParseStartTime_Malformed_ReturnsFalse(string line)
    {
        Assert.False(ProcStat.TryParseStartTime(line, out _));
    }

    [Fact]
    public void TryReadStartTime_ThisProcess_MatchesTheProcFile()
    {
        int pid = Environment.ProcessId;

        ulong? startTime = ProcStat.TryReadStartTime("/proc", pid);

        Assert.True(ProcStat.TryParseStartTime(File.ReadAllText($"/proc/{pid}/stat"), out ulong expected));
        Assert.Equal(expected, startTime);
    }

    [Fact]
    public void TryReadStartTime_InjectedRoot_ReadsItsStatAndNullForAMissingPid()
    {
        string proc = Directory.CreateTempSubdirectory("gpupredict-proc-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Join(proc, "7"));
            File.WriteAllText(Path.Join(proc, "7", "stat"), Line);

            Assert.Equal((268648UL, (ulong?)null), (ProcStat.TryReadStartTime(proc, 7), ProcStat.TryReadStartTime(proc, 8)));
        }
        finally
        {
            Directory.Delete(proc, recursive: true);
        }
    }
}
