using System.Text.Json.Serialization;
using RagFunctions.Hosting;

namespace RagFunctions.Health;

/// <summary>The <c>/health</c> contract, source-generated; use <see cref="Api"/>, in the API's JSON options.</summary>
[JsonSerializable(typeof(HealthResponse))]
internal sealed partial class HealthJsonContext : JsonSerializerContext
{
    public static HealthJsonContext Api { get; } = new(ApiJson.Options());
}
