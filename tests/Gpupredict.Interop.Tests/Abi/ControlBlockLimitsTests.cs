namespace Gpupredict.Interop.Tests.Abi;

/// <summary>
/// The control block's field roles as <c>abi.h</c> declares them (<c>GP_CONTROL_FIELDS_BY_ROLE</c>,
/// reported by native/build/abi_layout) against the C# code that must know which fields are limits.
/// </summary>
public sealed class ControlBlockLimitsTests
{
    private const string ControlStruct = "gp_control_block";

    [Fact]
    public void Layout_EveryControlBlockField_HasOneRole()
    {
        CStruct c = NativeLayout.Layout.Structs[ControlStruct];
        IReadOnlyDictionary<string, CFieldRole> roles = NativeLayout.Layout.Roles[ControlStruct];

        Assert.Equal(c.Fields.Select(f => f.Name), roles.Keys);
        Assert.Contains(CFieldRole.Limit, roles.Values);
    }
}
