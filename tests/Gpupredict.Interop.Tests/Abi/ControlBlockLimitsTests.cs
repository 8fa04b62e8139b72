using Gpupredict.Interop.Abi;

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

    /// <summary>
    /// Changes one byte at a time, every byte of every field, and asks SameLimits: a change to a
    /// limit must count (else a grant changing only it is never written), a change anywhere else
    /// must not (else every grant rewrites the block, UpdatedNs being stamped on each write).
    /// Offsets are the C compiler's; the mirror test proves the C# ones equal.
    /// </summary>
    [Fact]
    public unsafe void SameLimits_EveryByteOfEveryField_CountsExactlyWhenTheFieldIsALimit()
    {
        CStruct c = NativeLayout.Layout.Structs[ControlStruct];
        IReadOnlyDictionary<string, CFieldRole> roles = NativeLayout.Layout.Roles[ControlStruct];
        var problems = new List<string>();
        ControlBlock baseline = default;
        foreach (CField field in c.Fields)
        {
            string mirror = $"{nameof(ControlBlock)}.{AbiMapping.Default.FieldName(ControlStruct, field.Name)}";
            if (field.Offset + field.Size > sizeof(ControlBlock))
            {
                problems.Add($"{ControlStruct}.{field.Name} ends at byte {field.Offset + field.Size}, past the end of {nameof(ControlBlock)}");
                continue;
            }

            bool limit = roles[field.Name] == CFieldRole.Limit;
            for (int i = 0; i < field.Size; i++)
            {
                ControlBlock changed = baseline;
                ((byte*)&changed)[field.Offset + i] ^= 0xFF;
                if (baseline.SameLimits(changed) == limit)
                {
                    problems.Add(limit
                        ? $"{ControlStruct}.{field.Name} is a limit, but {nameof(ControlBlock.SameLimits)} ignores a change to byte {i} of {mirror}"
                        : $"{ControlStruct}.{field.Name} is {roles[field.Name].ToString().ToLowerInvariant()}, not a limit, but {nameof(ControlBlock.SameLimits)} counts a change to byte {i} of {mirror}");
                    break;
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }
}
