using System.Text.Json.Serialization;
using RagFunctions.Hosting;

namespace RagFunctions.Agents;

/// <summary>What the MCP tools return, source-generated with the API's JSON options (snake_case, nulls left out).</summary>
[JsonSerializable(typeof(BookSearchResults))]
[JsonSerializable(typeof(BookSection))]
[JsonSerializable(typeof(BookOutlineResult))]
internal sealed partial class AgentsJsonContext : JsonSerializerContext
{
    public static AgentsJsonContext Api { get; } = new(ApiJson.Options());
}
