using System.Text.Json;
using System.Text.Json.Serialization;

namespace RagFunctions.Hosting;

/// <summary>
/// The JSON options of every context of our API, in one place: web defaults, snake_case, nulls left out, at most 32
/// levels deep. Each capability has its own source-generated context for its contracts, whose <c>Api</c> instance
/// has these options, added to the API's JSON by <see cref="HostingServiceCollectionExtensions.AddApiJson"/> from
/// its <c>AddX()</c>.
/// </summary>
internal static class ApiJson
{
    public static JsonSerializerOptions Options() => new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        MaxDepth = 32,
    };
}

/// <summary>Source-generated JSON for what the plumbing itself reads and writes.</summary>
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(bool))]
internal sealed partial class RagJsonContext : JsonSerializerContext
{
    public static RagJsonContext Api { get; } = new(ApiJson.Options());
}
