using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using RagFunctions.Hosting;

namespace RagFunctions.Chat;

/// <summary><c>POST /chat</c> and <c>POST /stream-chat</c>: a question about the book, answered from the book.</summary>
internal sealed class ChatFunctions(ChatService chat, ChatPipelineOptions settings)
{
    [Function("chat")]
    [ApiDoc("Answer a question about the book", Tag = ApiTags.Chat, Request = typeof(ChatRequest), Response = typeof(ChatAnswer),
        RequestExample = """{"question":"What is a ROS 2 topic?"}""", Errors = [StatusCodes.Status503ServiceUnavailable],
        Description = "A grounded answer with its sources (absolute URLs with the section's #anchor) and citations. `message` and `query` are accepted as aliases of `question`; `selected_text` answers from that text. `dir` is `rtl` for an answer in Urdu (or another right-to-left language), else `ltr`; in a right-to-left answer, code, commands, paths and English runs are wrapped in directional isolates (U+2066 … U+2069).")]
    public async Task<IResult> Chat(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "chat")] HttpRequest request, CancellationToken cancellationToken)
    {
        var (query, problem) = await ReadAsync(request, citationMarkers: true, cancellationToken);
        if (query is null)
        {
            return problem!.ToResult();
        }

        var prepared = await chat.PrepareAsync(query, cancellationToken);
        return TypedResults.Ok(await chat.AnswerAsync(prepared, cancellationToken));
    }

    /// <summary>
    /// Retrieval happens before the stream starts, so a store failure is still a proper 503; generation is streamed.
    /// Without <c>[n]</c> markers unless asked: client A shows the answer as plain text and its sources unnumbered.
    /// </summary>
    [Function("stream-chat")]
    [ApiDoc("Answer a question, streamed", Tag = ApiTags.Chat, Request = typeof(ChatRequest), Events = [typeof(StreamToken), typeof(StreamDone), typeof(StreamError)],
        RequestExample = """{"question":"What is a ROS 2 topic?"}""", Errors = [StatusCodes.Status503ServiceUnavailable],
        Description = "Server-sent events, each `data: {json}` and a blank line: tokens `{\"token\":…,\"done\":false}`, then `{\"done\":true,\"response\":\"…\"}` whose `response` is the POST /chat answer (ChatAnswer, with its `dir`) as a JSON string, or `{\"error\":…,\"done\":true}` when generation fails midway. `: ping` comments keep an idle stream open.")]
    public async Task<IResult> StreamChat(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "stream-chat")] HttpRequest request, CancellationToken cancellationToken)
    {
        var (query, problem) = await ReadAsync(request, citationMarkers: false, cancellationToken);
        if (query is null)
        {
            return problem!.ToResult();
        }

        var prepared = await chat.PrepareAsync(query, cancellationToken);
        return new EventStreamResult(
            aborted => chat.StreamAsync(prepared, aborted).Select(ChatJson.Of),
            _ => ChatJson.Error("The answer could not be completed. Please try again."),
            settings.Heartbeat);
    }

    private static Task<Validated<ChatQuery>> ReadAsync(HttpRequest request, bool citationMarkers, CancellationToken cancellationToken)
        => JsonBody.ReadAsync(request, ChatJsonContext.Api.ChatRequest, BodyLimits.Chat, body => ChatRequestValidator.Validate(body, citationMarkers), cancellationToken);
}
