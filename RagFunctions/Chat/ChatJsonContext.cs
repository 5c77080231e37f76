using System.Text.Json;
using System.Text.Json.Serialization;

namespace RagFunctions.Chat;

/// <summary>The <c>/chat</c> and <c>/stream-chat</c> contracts, source-generated in the API's JSON (snake_case, nulls left out; the same options as every context of our API).</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    MaxDepth = 32)]
[JsonSerializable(typeof(ChatRequest))]
[JsonSerializable(typeof(ChatAnswer))]
[JsonSerializable(typeof(StreamToken))]
[JsonSerializable(typeof(StreamDone))]
[JsonSerializable(typeof(StreamError))]
internal sealed partial class ChatJsonContext : JsonSerializerContext;
