using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Gpupredict.Interop.Tests.Abi;

/// <summary>
/// Compares the C compiler's view of the ABI with the C# mirrors and lists every difference as a
/// sentence; an empty list means identical. Offsets come from <see cref="Marshal.OffsetOf(Type, string)"/>,
/// sizes from <see cref="Unsafe.SizeOf{T}"/> (the managed size, checked equal to the marshalled one).
/// </summary>
internal static class MirrorComparer
{
    private static readonly MethodInfo SizeOfMethod = typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!;

    /// <summary>C fixed-width types and the C# type of the same size and signedness.</summary>
    private static readonly Dictionary<string, Type> Primitives = new()
    {
        ["uint8_t"] = typeof(byte),
        ["int8_t"] = typeof(sbyte),
        ["uint16_t"] = typeof(ushort),
        ["int16_t"] = typeof(short),
        ["uint32_t"] = typeof(uint),
        ["int32_t"] = typeof(int),
        ["uint64_t"] = typeof(ulong),
        ["int64_t"] = typeof(long),
    };

    /// <summary>Bytes a value of type t occupies in managed memory.</summary>
    public static int SizeOf(Type t) => (int)SizeOfMethod.MakeGenericMethod(t).Invoke(null, null)!;

    public static List<string> CompareStruct(CStruct c, Type mirror, AbiMapping mapping)
    {
        var problems = new List<string>();
        int size = SizeOf(mirror);
        if (size != c.Size)
        {
            problems.Add($"struct {c.Name} is {c.Size} bytes, {mirror.Name} is {size}");
        }

        if (Marshal.SizeOf(mirror) != size)
        {
            problems.Add($"{mirror.Name} marshals as {Marshal.SizeOf(mirror)} bytes but occupies {size}: not blittable");
        }

        var unmatched = mirror.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .ToDictionary(f => f.Name);
        foreach (CField cf in c.Fields)
        {
            string name = mapping.FieldName(c.Name, cf.Name);
            if (!unmatched.Remove(name, out FieldInfo? field))
            {
                problems.Add($"{c.Name}.{cf.Name} (offset {cf.Offset}) has no field {mirror.Name}.{name}");
                continue;
            }

            CompareField(c.Name, cf, mirror, field, mapping, problems);
        }

        foreach (FieldInfo extra in unmatched.Values)
        {
            problems.Add($"{mirror.Name}.{extra.Name} (offset {Marshal.OffsetOf(mirror, extra.Name)}) has no field in struct {c.Name}");
        }

        return problems;
    }

    public static List<string> CompareEnum(CEnum c, Type mirror, string prefix)
    {
        var problems = new List<string>();
        var unmatched = Enum.GetNames(mirror).ToDictionary(n => n, n => ValueOf(mirror, n));
        foreach (CEnumerator e in c.Enumerators)
        {
            string? name = AbiMapping.EnumeratorName(prefix, e.Name);
            if (name is null)
            {
                problems.Add($"{e.Name} in enum {c.Name} lacks the prefix {prefix}");
            }
            else if (!unmatched.Remove(name, out long value))
            {
                problems.Add($"{e.Name} = {e.Value} has no member {mirror.Name}.{name}");
            }
            else if (value != e.Value)
            {
                problems.Add($"{e.Name} = {e.Value} but {mirror.Name}.{name} = {value}");
            }
        }

        foreach ((string name, long value) in unmatched)
        {
            problems.Add($"{mirror.Name}.{name} = {value} has no enumerator in enum {c.Name}");
        }

        return problems;
    }

    public static List<string> CompareConstants(IReadOnlyDictionary<string, ulong> c, Type mirror)
    {
        var problems = new List<string>();
        var unmatched = mirror.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType != typeof(string))
            .ToDictionary(f => f.Name, f => Convert.ToUInt64(f.GetRawConstantValue(), CultureInfo.InvariantCulture));
        foreach ((string macro, ulong value) in c)
        {
            string? name = AbiMapping.ConstantName(macro);
            if (name is null || !unmatched.Remove(name, out ulong mirrored))
            {
                problems.Add($"{macro} = {value} has no constant {mirror.Name}.{name}");
            }
            else if (mirrored != value)
            {
                problems.Add($"{macro} = {value} but {mirror.Name}.{name} = {mirrored}");
            }
        }

        foreach ((string name, ulong value) in unmatched)
        {
            problems.Add($"{mirror.Name}.{name} = {value} has no GP_ constant in GP_ABI_CONSTANTS");
        }

        return problems;
    }

    /// <summary>The string macros against the mirror's string constants, by the same naming rule as the numbers.</summary>
    public static List<string> CompareStrings(IReadOnlyDictionary<string, string> c, Type mirror)
    {
        var problems = new List<string>();
        var unmatched = mirror.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .ToDictionary(f => f.Name, f => (string)f.GetRawConstantValue()!);
        foreach ((string macro, string value) in c)
        {
            string? name = AbiMapping.ConstantName(macro);
            if (name is null || !unmatched.Remove(name, out string? mirrored))
            {
                problems.Add($"{macro} = \"{value}\" has no string constant {mirror.Name}.{name}");
            }
            else if (mirrored != value)
            {
                problems.Add($"{macro} = \"{value}\" but {mirror.Name}.{name} = \"{mirrored}\"");
            }
        }

        foreach ((string name, string value) in unmatched)
        {
            problems.Add($"{mirror.Name}.{name} = \"{value}\" has no GP_ string the reporter prints");
        }

        return problems;
    }

    private static void CompareField(string cStruct, CField cf, Type mirror, FieldInfo field, AbiMapping mapping, List<string> problems)
    {
        string where = $"{cStruct}.{cf.Name} / {mirror.Name}.{field.Name}";
        int offset = (int)Marshal.OffsetOf(mirror, field.Name);
        if (offset != cf.Offset)
        {
            problems.Add($"{where}: offset {cf.Offset} in C, {offset} in C#");
        }

        int size = SizeOf(field.FieldType);
        if (size != cf.Size)
        {
            problems.Add($"{where}: {cf.Size} bytes in C, {size} in C#");
        }

        // A fixed buffer is a generated struct carrying the element type and length in an attribute.
        FixedBufferAttribute? buffer = field.GetCustomAttribute<FixedBufferAttribute>();
        Type element = buffer?.ElementType ?? field.FieldType;
        int count = buffer?.Length ?? 1;
        if (count != cf.Count)
        {
            problems.Add($"{where}: {cf.Count} element(s) in C, {count} in C#");
        }

        Type? expected = cf.Type.StartsWith("struct ", StringComparison.Ordinal)
            ? mapping.Structs.GetValueOrDefault(cf.Type["struct ".Length..])
            : Primitives.GetValueOrDefault(cf.Type);
        Type actual = element.IsEnum ? Enum.GetUnderlyingType(element) : element;
        if (expected != actual)
        {
            problems.Add($"{where}: C type {cf.Type} needs C# {expected?.Name ?? "(no mapping)"}, found {element.Name}");
        }
    }

    private static long ValueOf(Type enumType, string name) =>
        Convert.ToInt64(Enum.Parse(enumType, name), CultureInfo.InvariantCulture);
}
