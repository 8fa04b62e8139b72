using Gpupredict.Core.Events;
using Gpupredict.Interop.Abi;

namespace Gpupredict.Interop.Tests.Abi;

/// <summary>
/// How C names in <c>abi.h</c> become C# names. The rule is PascalCase of the snake_case words
/// (<c>correlation_id</c> -> <c>CorrelationId</c>, <c>pad0</c> -> <c>Pad0</c>); enumerators and
/// constants first lose their prefix (<c>GP_EV_KERNEL_LAUNCH</c> -> <c>KernelLaunch</c>,
/// <c>GP_RING_MAGIC</c> -> <c>AbiConstants.RingMagic</c>). The exceptions are explicit:
/// <list type="bullet">
/// <item><see cref="FieldAliases"/>: <c>gp_event.ts_ns</c> is <c>GpuEvent.TimestampNs</c>.</item>
/// <item><see cref="WordAliases"/>: CUDA's copy directions keep CUDA's case, <c>HTOD</c> -> <c>HtoD</c>.</item>
/// </list>
/// Structs and enums map by the tables below; a C struct or enum missing here fails a test.
/// </summary>
internal sealed class AbiMapping
{
    public AbiMapping(
        IReadOnlyDictionary<string, Type> structs,
        IReadOnlyDictionary<string, (Type Type, string Prefix)> enums,
        IReadOnlyDictionary<string, string> fieldAliases)
    {
        Structs = structs;
        Enums = enums;
        FieldAliases = fieldAliases;
    }

    /// <summary>The project's own mapping.</summary>
    public static AbiMapping Default { get; } = new(
        new Dictionary<string, Type>
        {
            ["gp_event"] = typeof(GpuEvent),
            ["gp_ring_header"] = typeof(RingHeader),
            ["gp_ring_slot"] = typeof(RingSlot),
            ["gp_control_block"] = typeof(ControlBlock),
            ["gp_hello"] = typeof(Hello),
            ["gp_welcome"] = typeof(Welcome),
        },
        new Dictionary<string, (Type, string)>
        {
            ["gp_event_kind"] = (typeof(GpuEventKind), "GP_EV_"),
            ["gp_event_flags"] = (typeof(GpuEventFlags), "GP_EVF_"),
            ["gp_control_flags"] = (typeof(ControlFlags), "GP_CTL_"),
            ["gp_welcome_status"] = (typeof(WelcomeStatus), "GP_WELCOME_"),
        },
        new Dictionary<string, string>
        {
            ["gp_event.ts_ns"] = "TimestampNs",
        });

    /// <summary>Words that keep a mixed case instead of being capitalized.</summary>
    public static IReadOnlyDictionary<string, string> WordAliases { get; } = new Dictionary<string, string>
    {
        ["HTOD"] = "HtoD",
        ["DTOH"] = "DtoH",
        ["DTOD"] = "DtoD",
        ["HTOH"] = "HtoH",
    };

    /// <summary>C struct name -> C# mirror type.</summary>
    public IReadOnlyDictionary<string, Type> Structs { get; }

    /// <summary>C enum name -> C# enum type and the prefix every enumerator carries.</summary>
    public IReadOnlyDictionary<string, (Type Type, string Prefix)> Enums { get; }

    /// <summary>"struct.field" -> C# field name, where the rule does not apply.</summary>
    public IReadOnlyDictionary<string, string> FieldAliases { get; }

    /// <summary>The C# name of a field of a C struct.</summary>
    public string FieldName(string cStruct, string cField) =>
        FieldAliases.TryGetValue($"{cStruct}.{cField}", out string? alias) ? alias : Pascal(cField);

    /// <summary>The C# member name of an enumerator, or null when it lacks the enum's prefix.</summary>
    public static string? EnumeratorName(string prefix, string enumerator) =>
        enumerator.StartsWith(prefix, StringComparison.Ordinal) ? Pascal(enumerator[prefix.Length..]) : null;

    /// <summary>The <c>AbiConstants</c> member name of a <c>GP_*</c> macro.</summary>
    public static string? ConstantName(string macro) =>
        macro.StartsWith("GP_", StringComparison.Ordinal) ? Pascal(macro[3..]) : null;

    /// <summary>snake_case or UPPER_SNAKE to PascalCase, honouring <see cref="WordAliases"/>.</summary>
    public static string Pascal(string snake) =>
        string.Concat(snake.Split('_', StringSplitOptions.RemoveEmptyEntries).Select(Word));

    private static string Word(string word)
    {
        string upper = word.ToUpperInvariant();
        return WordAliases.TryGetValue(upper, out string? alias)
            ? alias
            : string.Concat(upper[..1], word[1..].ToLowerInvariant());
    }
}
