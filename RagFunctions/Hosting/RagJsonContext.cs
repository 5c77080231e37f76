using System.Text.Json;
using System.Text.Json.Serialization;

namespace RagFunctions.Hosting;

/// <summary>
/// Source-generated JSON for what the plumbing itself reads and writes: snake_case, nulls left out. Each capability
/// has its own context for its contracts, with these same options, added to the API's JSON by
/// <see cref="HostingServiceCollectionExtensions.AddApiJson"/> from its <c>AddX()</c>.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    MaxDepth = 32)]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(bool))]
internal sealed partial class RagJsonContext : JsonSerializerContext;
