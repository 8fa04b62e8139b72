using System.Runtime.InteropServices;
using Gpupredict.Core.Events;

namespace Gpupredict.Interop.Tests.Abi;

/// <summary>
/// The comparer itself, on a small synthetic struct: each kind of drift between C and C# (a moved,
/// added, removed, resized or re-typed field; a changed or extra enumerator) must be reported.
/// </summary>
public sealed class MirrorComparerTests
{
    // 8 + 4 + 2 + 2 + 4 + 4 + 24 = 48 bytes, no implicit padding.
    private const string SampleLayout = """
        struct gp_sample size 48 align 8
        field gp_sample ts_ns offset 0 size 8 count 1 type uint64_t
        field gp_sample pid offset 8 size 4 count 1 type uint32_t
        field gp_sample kind offset 12 size 2 count 1 type uint16_t
        field gp_sample flags offset 14 size 2 count 1 type uint16_t
        field gp_sample device offset 16 size 4 count 1 type int32_t
        field gp_sample reserved0 offset 20 size 4 count 1 type uint32_t
        field gp_sample pad offset 24 size 24 count 3 type uint64_t
        enum gp_sample_kind GP_EV_NONE 0
        enum gp_sample_kind GP_EV_MEMCPY_HTOD 30
        """;

    private static readonly AbiMapping Mapping = new(
        new Dictionary<string, Type> { ["gp_sample"] = typeof(Sample) },
        new Dictionary<string, (Type, string)> { ["gp_sample_kind"] = (typeof(SampleKind), "GP_EV_") },
        new Dictionary<string, string> { ["gp_sample.ts_ns"] = "TimestampNs" });

    private enum SampleKind : ushort
    {
        None = 0,
        MemcpyHtoD = 30,
    }

    [Fact]
    public void CompareStruct_IdenticalLayouts_ReportsNothing()
    {
        Assert.Empty(CompareSample(SampleLayout));
    }

    [Theory]
    [InlineData("pid offset 8", "pid offset 12", "offset 12 in C, 8 in C#")] // moved in C
    [InlineData("struct gp_sample size 48", "struct gp_sample size 56", "is 56 bytes, Sample is 48")]
    [InlineData("device offset 16 size 4 count 1 type int32_t", "device offset 16 size 4 count 1 type uint32_t", "needs C# UInt32, found Int32")]
    [InlineData("kind offset 12 size 2 count 1 type uint16_t", "kind offset 12 size 4 count 1 type uint32_t", "4 bytes in C, 2 in C#")]
    [InlineData("pad offset 24 size 24 count 3", "pad offset 24 size 24 count 4", "4 element(s) in C, 3 in C#")]
    [InlineData("field gp_sample reserved0 ", "field gp_sample reserved9 ", "gp_sample.reserved9 (offset 20) has no field Sample.Reserved9")]
    [InlineData("field gp_sample reserved0 offset 20 size 4 count 1 type uint32_t\n", "", "Sample.Reserved0 (offset 20) has no field in struct gp_sample")]
    public void CompareStruct_OneDrift_ReportsIt(string from, string to, string expected)
    {
        string layout = SampleLayout.Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(SampleLayout, layout);

        Assert.Contains(CompareSample(layout), p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("GP_EV_NONE 0", "GP_EV_NONE 0", null)] // no drift
    [InlineData("GP_EV_MEMCPY_HTOD 30", "GP_EV_MEMCPY_HTOD 31", "GP_EV_MEMCPY_HTOD = 31 but SampleKind.MemcpyHtoD = 30")]
    [InlineData("enum gp_sample_kind GP_EV_MEMCPY_HTOD 30", "enum gp_sample_kind GP_EV_MEMCPY_DTOH 30", "SampleKind.MemcpyHtoD = 30 has no enumerator")]
    [InlineData("enum gp_sample_kind GP_EV_NONE 0", "enum gp_sample_kind GP_EV_NONE 0\nenum gp_sample_kind GP_EV_FREE 10", "GP_EV_FREE = 10 has no member SampleKind.Free")]
    [InlineData("enum gp_sample_kind GP_EV_NONE 0", "enum gp_sample_kind GP_EVF_NONE 0", "GP_EVF_NONE in enum gp_sample_kind lacks the prefix GP_EV_")]
    public void CompareEnum_OneDrift_ReportsIt(string from, string to, string? expected)
    {
        CEnum c = CLayout.Parse(SampleLayout.Replace(from, to, StringComparison.Ordinal)).Enums["gp_sample_kind"];

        List<string> problems = MirrorComparer.CompareEnum(c, typeof(SampleKind), "GP_EV_");

        if (expected is null)
        {
            Assert.Empty(problems);
        }
        else
        {
            Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void CompareConstants_ValueAndNameDrift_ReportsBoth()
    {
        var c = new Dictionary<string, ulong> { ["GP_ABI_VERSION"] = 2, ["GP_NEW_THING"] = 7 };

        List<string> problems = MirrorComparer.CompareConstants(c, typeof(SampleConstants));

        Assert.Equal(
            ["GP_ABI_VERSION = 2 but SampleConstants.AbiVersion = 1", "GP_NEW_THING = 7 has no constant SampleConstants.NewThing", "SampleConstants.RingMagic = 5 has no GP_ constant in GP_ABI_CONSTANTS"],
            problems);
    }

    [Fact]
    public void CompareStrings_ValueAndNameDrift_ReportsEach()
    {
        var c = new Dictionary<string, string> { ["GP_REGISTER_SOCKET"] = "/gp.sock", ["GP_NEW_PATH"] = "/n" };

        List<string> problems = MirrorComparer.CompareStrings(c, typeof(SampleConstants));

        Assert.Equal(
            [
                "GP_REGISTER_SOCKET = \"/gp.sock\" but SampleConstants.RegisterSocket = \"/run/register.sock\"",
                "GP_NEW_PATH = \"/n\" has no string constant SampleConstants.NewPath",
                "SampleConstants.OtherSocket = \"/other.sock\" has no GP_ string the reporter prints",
            ],
            problems);
    }

    private static List<string> CompareSample(string layout) =>
        MirrorComparer.CompareStruct(CLayout.Parse(layout).Structs["gp_sample"], typeof(Sample), Mapping);

    [StructLayout(LayoutKind.Sequential, Pack = 8)]
    private unsafe struct Sample
    {
        public ulong TimestampNs;
        public uint Pid;
        public GpuEventKind Kind;
        public ushort Flags;
        public int Device;
        public uint Reserved0;
        public fixed ulong Pad[3];
    }

    private static class SampleConstants
    {
        public const ushort AbiVersion = 1;
        public const uint RingMagic = 5;
        public const string RegisterSocket = "/run/register.sock";
        public const string OtherSocket = "/other.sock";
    }
}
