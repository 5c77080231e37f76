using System.Text.Json;

namespace RagFunctions.Chat;

/// <summary>The JSON of each <c>/stream-chat</c> event.</summary>
internal static class ChatJson
{
    /// <summary>The JSON of one event: a token, or the final event.</summary>
    public static string Of(ChatEvent item) => item switch
    {
        ChatEvent.Token token => Token(token.Text),
        ChatEvent.Done done => Done(done.Answer),
        _ => throw new ArgumentOutOfRangeException(nameof(item), item, "Not a chat event."),
    };

    public static string Token(string token) => JsonSerializer.Serialize(new StreamToken(token), ChatJsonContext.Api.StreamToken);

    /// <summary>The final event: <c>response</c> is the <c>/chat</c> JSON as a string, as client A parses it.</summary>
    public static string Done(ChatAnswer response)
        => JsonSerializer.Serialize(new StreamDone(JsonSerializer.Serialize(response, ChatJsonContext.Api.ChatAnswer)), ChatJsonContext.Api.StreamDone);

    public static string Error(string message) => JsonSerializer.Serialize(new StreamError(message), ChatJsonContext.Api.StreamError);
}
