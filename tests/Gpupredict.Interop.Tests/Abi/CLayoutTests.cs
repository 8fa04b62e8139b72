namespace Gpupredict.Interop.Tests.Abi;

public sealed class CLayoutTests
{
    [Fact]
    public void Parse_EveryRecordKind_BuildsTheModel()
    {
        CLayout layout = CLayout.Parse("""
            # comment
            const GP_RING_MAGIC 1112690759
            string GP_REGISTER_SOCKET "/run/gp/register.sock"
            struct gp_ring_slot size 128 align 8
            field gp_ring_slot seq offset 0 size 8 count 1 type uint64_t
            field gp_ring_slot event offset 16 size 112 count 1 type struct gp_event
            enum gp_event_flags GP_EVF_ASYNC 1
            role gp_ring_slot seq header
            role gp_ring_slot event limit

            """);

        Assert.Equal(1112690759UL, layout.Constants["GP_RING_MAGIC"]);
        Assert.Equal("/run/gp/register.sock", layout.Strings["GP_REGISTER_SOCKET"]);
        CStruct slot = layout.Structs["gp_ring_slot"];
        Assert.Equal((128, 8), (slot.Size, slot.Align));
        Assert.Equal(
            [new CField("seq", 0, 8, 1, "uint64_t"), new CField("event", 16, 112, 1, "struct gp_event")],
            slot.Fields);
        Assert.Equal(new CEnumerator("GP_EVF_ASYNC", 1), Assert.Single(layout.Enums["gp_event_flags"].Enumerators));
        Assert.Equal(
            new Dictionary<string, CFieldRole> { ["seq"] = CFieldRole.Header, ["event"] = CFieldRole.Limit },
            layout.Roles["gp_ring_slot"]);
    }

    [Theory]
    [InlineData("union gp_x size 8 align 8", "line 1: unknown record")]
    [InlineData("field gp_x a offset 0 size 8 count 1 type uint64_t", "line 1: field of struct gp_x before its struct line")]
    [InlineData("const GP_X 1\nstruct gp_x size -8 align 8", "line 2:")]
    [InlineData("const GP_X 1\nconst GP_X 2", "line 2:")]
    [InlineData("string GP_X /x", "line 1: a string value is one double-quoted word")]
    [InlineData("string GP_X \"a\"b\"", "line 1: a string value is one double-quoted word")]
    [InlineData("string GP_X", "line 1: unknown record")]
    [InlineData("role gp_x a limit", "line 1: role of gp_x.a, a field not reported before it")]
    [InlineData("struct gp_x size 8 align 8\nfield gp_x a offset 0 size 8 count 1 type uint64_t\nrole gp_x b limit", "line 3: role of gp_x.b")]
    [InlineData("struct gp_x size 8 align 8\nfield gp_x a offset 0 size 8 count 1 type uint64_t\nrole gp_x a limits", "line 3: unknown role limits")]
    [InlineData("struct gp_x size 8 align 8\nfield gp_x a offset 0 size 8 count 1 type uint64_t\nrole gp_x a limit\nrole gp_x a info", "line 4:")]
    public void Parse_MalformedLine_ThrowsNamingTheLine(string text, string expected)
    {
        FormatException e = Assert.Throws<FormatException>(() => CLayout.Parse(text));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
