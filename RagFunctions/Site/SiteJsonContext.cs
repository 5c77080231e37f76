using System.Text.Json.Serialization;
using RagFunctions.Hosting;

namespace RagFunctions.Site;

/// <summary>The <c>/pages</c> contract, source-generated; use <see cref="Api"/>, in the API's JSON options.</summary>
[JsonSerializable(typeof(IndexedPages))]
internal sealed partial class SiteJsonContext : JsonSerializerContext
{
    public static SiteJsonContext Api { get; } = new(ApiJson.Options());
}
