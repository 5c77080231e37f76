using System.Text.Json;
using System.Text.Json.Serialization;

namespace RagFunctions.Site;

/// <summary>The <c>/pages</c> contract, source-generated in the API's JSON (snake_case, nulls left out; the same options as every context of our API).</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    MaxDepth = 32)]
[JsonSerializable(typeof(IndexedPages))]
internal sealed partial class SiteJsonContext : JsonSerializerContext;
