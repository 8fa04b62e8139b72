using System.Globalization;

namespace Gpupredict.Interop.Tests.Abi;

/// <summary>One field as the C compiler lays it out; Size covers the whole array, Type is the element type.</summary>
internal sealed record CField(string Name, int Offset, int Size, int Count, string Type);

/// <summary>One struct as the C compiler lays it out; fields in declaration order.</summary>
internal sealed record CStruct(string Name, int Size, int Align, IReadOnlyList<CField> Fields);

/// <summary>
/// Who handles a control block field (<c>GP_CONTROL_FIELDS_BY_ROLE</c> in <c>abi.h</c>): the reader's
/// header checks, the interposer (a limit), the daemon's own readers (info), nobody (reserved).
/// </summary>
internal enum CFieldRole
{
    Header,
    Limit,
    Info,
    Reserved,
}

/// <summary>One enumerator with the value the C compiler gives it.</summary>
internal sealed record CEnumerator(string Name, long Value);

/// <summary>One enum, enumerators in declaration order.</summary>
internal sealed record CEnum(string Name, IReadOnlyList<CEnumerator> Enumerators);

/// <summary>
/// The ABI as <c>native/build/abi_layout</c> reports it (format documented in
/// <c>native/tools/abi_layout.c</c>): structs with their fields, enums, numeric and string constants,
/// and the role of each control block field.
/// </summary>
internal sealed class CLayout
{
    private CLayout(
        Dictionary<string, CStruct> structs,
        Dictionary<string, CEnum> enums,
        Dictionary<string, ulong> constants,
        Dictionary<string, string> strings,
        Dictionary<string, IReadOnlyDictionary<string, CFieldRole>> roles)
    {
        Structs = structs;
        Enums = enums;
        Constants = constants;
        Strings = strings;
        Roles = roles;
    }

    public IReadOnlyDictionary<string, CStruct> Structs { get; }

    public IReadOnlyDictionary<string, CEnum> Enums { get; }

    public IReadOnlyDictionary<string, ulong> Constants { get; }

    /// <summary>String macros (<c>string NAME "value"</c> records), the value without its quotes.</summary>
    public IReadOnlyDictionary<string, string> Strings { get; }

    /// <summary>Struct name -> field name -> role (<c>role</c> records; only structs whose list names roles).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, CFieldRole>> Roles { get; }

    /// <summary>Parses the reporter's output; any line it does not understand is an error naming the line.</summary>
    public static CLayout Parse(string text)
    {
        var structs = new Dictionary<string, (int Size, int Align, List<CField> Fields)>();
        var enums = new Dictionary<string, List<CEnumerator>>();
        var constants = new Dictionary<string, ulong>();
        var strings = new Dictionary<string, string>();
        var roles = new Dictionary<string, Dictionary<string, CFieldRole>>();
        string[] lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            string[] w = line.Split(' ');
            try
            {
                switch (w[0])
                {
                    case "const" when w.Length == 3:
                        constants.Add(w[1], ulong.Parse(w[2], CultureInfo.InvariantCulture));
                        break;
                    case "string" when w.Length >= 3:
                        strings.Add(w[1], Quoted(line[("string ".Length + w[1].Length + 1)..]));
                        break;
                    case "struct" when w.Length == 6 && w[2] == "size" && w[4] == "align":
                        structs.Add(w[1], (Int(w[3]), Int(w[5]), []));
                        break;
                    case "field" when w.Length >= 11 && w[3] == "offset" && w[5] == "size" && w[7] == "count" && w[9] == "type":
                        if (!structs.TryGetValue(w[1], out var owner))
                        {
                            throw new FormatException($"field of struct {w[1]} before its struct line");
                        }

                        owner.Fields.Add(new CField(w[2], Int(w[4]), Int(w[6]), Int(w[8]), string.Join(' ', w[10..])));
                        break;
                    case "role" when w.Length == 4:
                        if (!structs.TryGetValue(w[1], out var described) || !described.Fields.Any(f => f.Name == w[2]))
                        {
                            throw new FormatException($"role of {w[1]}.{w[2]}, a field not reported before it");
                        }

                        if (!roles.TryGetValue(w[1], out var fieldRoles))
                        {
                            roles.Add(w[1], fieldRoles = []);
                        }

                        fieldRoles.Add(w[2], Role(w[3]));
                        break;
                    case "enum" when w.Length == 4:
                        if (!enums.TryGetValue(w[1], out var values))
                        {
                            enums.Add(w[1], values = []);
                        }

                        values.Add(new CEnumerator(w[2], long.Parse(w[3], CultureInfo.InvariantCulture)));
                        break;
                    default:
                        throw new FormatException("unknown record");
                }
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
            {
                throw new FormatException($"abi_layout output line {i + 1}: {e.Message}: '{line}'", e);
            }
        }

        return new CLayout(
            structs.ToDictionary(s => s.Key, s => new CStruct(s.Key, s.Value.Size, s.Value.Align, s.Value.Fields)),
            enums.ToDictionary(e => e.Key, e => new CEnum(e.Key, e.Value)),
            constants,
            strings,
            roles.ToDictionary(r => r.Key, r => (IReadOnlyDictionary<string, CFieldRole>)r.Value));
    }

    /// <summary>The text between the double quotes that open and close <paramref name="s"/>; no quote may come between.</summary>
    private static string Quoted(string s) =>
        s.Length >= 2 && s[0] == '"' && s[^1] == '"' && !s[1..^1].Contains('"', StringComparison.Ordinal)
            ? s[1..^1]
            : throw new FormatException("a string value is one double-quoted word");

    private static CFieldRole Role(string s) => s switch
    {
        "header" => CFieldRole.Header,
        "limit" => CFieldRole.Limit,
        "info" => CFieldRole.Info,
        "reserved" => CFieldRole.Reserved,
        _ => throw new FormatException($"unknown role {s}"),
    };

    private static int Int(string s) => int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture);
}
