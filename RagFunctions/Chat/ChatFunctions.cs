using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using RagFunctions.Hosting;

namespace RagFunctions.Chat;

/// <summary><c>POST /chat</c> and <c>POST /stream-chat</c>: a question about the book, answered from the book.</summary>
internal sealed class ChatFunctions(ChatService chat, ChatSettings settings)
{
    [Function("chat")]
    public async Task<IResult> Chat(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "chat")] HttpRequest request, CancellationToken cancellationToken)
    {
        var (query, problem) = await ReadAsync(request, citationMarkers: true, cancellationToken);
        if (query is null)
        {
            return problem!;
        }

        var prepared = await chat.PrepareAsync(query, cancellationToken);
        return TypedResults.Ok(await chat.AnswerAsync(prepared, cancellationToken));
    }

    /// <summary>
    /// Retrieval happens before the stream starts, so a store failure is still a proper 503; generation is streamed.
    /// Without <c>[n]</c> markers unless asked: client A shows the answer as plain text and its sources unnumbered.
    /// </summary>
    [Function("stream-chat")]
    public async Task<IResult> StreamChat(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "stream-chat")] HttpRequest request, CancellationToken cancellationToken)
    {
        var (query, problem) = await ReadAsync(request, citationMarkers: false, cancellationToken);
        if (query is null)
        {
            return problem!;
        }

        var prepared = await chat.PrepareAsync(query, cancellationToken);
        return new EventStreamResult(
            aborted => chat.StreamAsync(prepared, aborted),
            _ => ChatJson.Error("The answer could not be completed. Please try again."),
            settings.Heartbeat);
    }

    private static async Task<(ChatQuery? Query, IResult? Problem)> ReadAsync(HttpRequest request, bool citationMarkers, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync(request, RagJsonContext.Default.ChatRequest, BodyLimits.Chat, cancellationToken);
        if (body.Value is null)
        {
            return (null, body.Problem);
        }

        var (query, errors) = ChatRequestValidator.Validate(body.Value, citationMarkers);
        return query is null
            ? (null, TypedResults.ValidationProblem(errors!, title: "The chat request is not valid"))
            : (query, null);
    }
}
