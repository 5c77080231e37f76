using System.Text.Json;
using System.Text.Json.Serialization;

namespace RagFunctions.Ingestion;

/// <summary>The <c>/manage/ingest</c> contract, source-generated in the API's JSON (snake_case, nulls left out; the same options as every context of our API).</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    MaxDepth = 32)]
[JsonSerializable(typeof(IngestionReport))]
internal sealed partial class IngestionJsonContext : JsonSerializerContext;
