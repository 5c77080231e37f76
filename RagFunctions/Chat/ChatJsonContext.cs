using System.Text.Json.Serialization;
using RagFunctions.Hosting;

namespace RagFunctions.Chat;

/// <summary>The <c>/chat</c> and <c>/stream-chat</c> contracts, source-generated; use <see cref="Api"/>, in the API's JSON options.</summary>
[JsonSerializable(typeof(ChatRequest))]
[JsonSerializable(typeof(ChatAnswer))]
[JsonSerializable(typeof(StreamToken))]
[JsonSerializable(typeof(StreamDone))]
[JsonSerializable(typeof(StreamError))]
internal sealed partial class ChatJsonContext : JsonSerializerContext
{
    public static ChatJsonContext Api { get; } = new(ApiJson.Options());
}
