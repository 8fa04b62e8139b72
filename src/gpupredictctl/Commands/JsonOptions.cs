using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gpupredict.Ctl.Commands;

/// <summary>JSON settings for files the CLI writes.</summary>
internal static class JsonOptions
{
    public static JsonSerializerOptions Report { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };
}
