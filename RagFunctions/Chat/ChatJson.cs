using System.Text.Json;

namespace RagFunctions.Chat;

/// <summary>The JSON of each <c>/stream-chat</c> event.</summary>
internal static class ChatJson
{
    public static string Token(string token) => JsonSerializer.Serialize(new StreamToken(token), ChatJsonContext.Api.StreamToken);

    /// <summary>The final event: <c>response</c> is the <c>/chat</c> JSON as a string, as client A parses it.</summary>
    public static string Done(ChatAnswer response)
        => JsonSerializer.Serialize(new StreamDone(JsonSerializer.Serialize(response, ChatJsonContext.Api.ChatAnswer)), ChatJsonContext.Api.StreamDone);

    public static string Error(string message) => JsonSerializer.Serialize(new StreamError(message), ChatJsonContext.Api.StreamError);
}
