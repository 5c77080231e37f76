using System.Text.Json.Serialization;
using RagFunctions.Hosting;

namespace RagFunctions.Ingestion;

/// <summary>The <c>/manage/ingest</c> contract, source-generated; use <see cref="Api"/>, in the API's JSON options.</summary>
[JsonSerializable(typeof(IngestionReport))]
internal sealed partial class IngestionJsonContext : JsonSerializerContext
{
    public static IngestionJsonContext Api { get; } = new(ApiJson.Options());
}
