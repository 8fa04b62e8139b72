using Gpupredict.Interop.Abi;

namespace Gpupredict.Interop.Tests.Abi;

/// <summary>
/// The C# mirrors against the C compiler's own report (native/build/abi_layout): same structs,
/// same fields at the same offsets with the same sizes and types, same enumerators and constants.
/// </summary>
public sealed class AbiMirrorTests
{
    public static TheoryData<string> CStructs => new(AbiMapping.Default.Structs.Keys);

    public static TheoryData<string> CEnums => new(AbiMapping.Default.Enums.Keys);

    [Theory]
    [MemberData(nameof(CStructs))]
    public void CompareStruct_CStructAndItsMirror_AreIdentical(string cStruct)
    {
        CStruct c = Assert.Contains(cStruct, NativeLayout.Layout.Structs);

        List<string> problems = MirrorComparer.CompareStruct(c, AbiMapping.Default.Structs[cStruct], AbiMapping.Default);

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Theory]
    [MemberData(nameof(CEnums))]
    public void CompareEnum_CEnumAndItsMirror_HaveTheSameMembers(string cEnum)
    {
        CEnum c = Assert.Contains(cEnum, NativeLayout.Layout.Enums);
        (Type mirror, string prefix) = AbiMapping.Default.Enums[cEnum];

        List<string> problems = MirrorComparer.CompareEnum(c, mirror, prefix);

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void CompareConstants_AbiConstants_MatchGpAbiConstants()
    {
        List<string> problems = MirrorComparer.CompareConstants(NativeLayout.Layout.Constants, typeof(AbiConstants));

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void CompareStrings_AbiConstants_MatchTheStringConstants()
    {
        List<string> problems = MirrorComparer.CompareStrings(NativeLayout.Layout.Strings, typeof(AbiConstants));

        Assert.True(problems.Count == 0, string.Join('\n', problems));
        Assert.Equal(["GP_REGISTER_SOCKET"], NativeLayout.Layout.Strings.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Layout_EveryCStruct_HasAMirror()
    {
        Assert.Equal(
            AbiMapping.Default.Structs.Keys.Order(StringComparer.Ordinal),
            NativeLayout.Layout.Structs.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Layout_EveryCEnum_HasAMirror()
    {
        Assert.Equal(
            AbiMapping.Default.Enums.Keys.Order(StringComparer.Ordinal),
            NativeLayout.Layout.Enums.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Layout_RingSlot_HoldsTheEventAfterA16ByteHeader()
    {
        CStruct slot = NativeLayout.Layout.Structs["gp_ring_slot"];

        CField ev = Assert.Single(slot.Fields, f => f.Name == "event");
        Assert.Equal((16, 112, 128), (ev.Offset, ev.Size, slot.Size)); // 16 + 112 = 128: fills the slot
    }
}
