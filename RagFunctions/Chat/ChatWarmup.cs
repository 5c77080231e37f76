using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using RagFunctions.Hosting;
using RagFunctions.Ingestion;
using RagFunctions.Retrieval.Embeddings;
using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Chat;

/// <summary>
/// A few questions through the chat pipeline right after start, before <c>/health?ready=1</c> says ready: the first
/// question after a restart otherwise paid for compiling the pipeline's code (0.3–0.6 s on two cores, against 10–20 ms
/// for the next ones). Each goes as a reader's does, from the request's JSON and rules to the answer's JSON (see
/// <see cref="ChatService.WarmAsync"/>), but nothing is kept, recorded, counted or logged as a question, and no
/// language model is called. It runs after the embedding model's warm-up and only when that warmed the local model
/// (a provider's embeddings would cost a call a question), and only on an index that holds a book.
/// </summary>
internal sealed partial class ChatWarmup(
    ChatService chat,
    EmbeddingWarmup embeddings,
    StartupIngestion startup,
    IVectorStore store,
    IServiceProvider services,
    ILogger<ChatWarmup> logger) : StartupWarmup
{
    /// <summary>
    /// Questions, as request bodies, of the kinds a reader asks first, whatever the book: a definition, a how-to,
    /// something the book may not cover (a refusal). Their words only choose the code that runs; the answers are dropped.
    /// </summary>
    private static readonly string[] Questions =
    [
        """{"question":"What is a node?"}""",
        """{"question":"How do I install it and run the first example?"}""",
        """{"question":"Why does the build fail with an error?"}""",
        """{"question":"What is the best pizza in Naples?"}""",
    ];

    protected override async Task WarmAsync(CancellationToken stoppingToken)
    {
        await Task.WhenAll(startup.Completion, embeddings.Completion).WaitAsync(stoppingToken);
        if (!embeddings.Warmed || startup.BuildingFirstIndex || (await store.GetStatsAsync(stoppingToken)).Chunks == 0)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        foreach (var question in Questions)
        {
            // Read and checked as /chat reads a request, and the answer written as the host writes /chat's (with the
            // HTTP JSON options, which resolve the contracts apart), into nothing.
            var context = new DefaultHttpContext { RequestServices = services, Response = { Body = Stream.Null } };
            context.Request.ContentType = "application/json";
            context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(question));
            var body = await JsonBody.ReadAsync(context.Request, ChatJsonContext.Api.ChatRequest, BodyLimits.Chat, stoppingToken);
            var (query, _) = ChatRequestValidator.Validate(body.Value!);
            var answer = await chat.WarmAsync(query!, stoppingToken);
            await TypedResults.Ok(answer).ExecuteAsync(context);
        }

        LogWarmed(logger, Questions.Length, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>
    /// A store or index not usable yet (health says why) is the first question's to report; anything else is a
    /// warning.
    /// </summary>
    protected override void Failed(Exception exception)
    {
        if (exception is ServiceFailureException)
        {
            LogNotWarmed(logger, exception.Message);
        }
        else
        {
            LogFailed(logger, exception);
        }
    }

    [LoggerMessage(EventId = 1020, Level = LogLevel.Information, Message = "Chat pipeline warmed with {Questions} questions in {ElapsedMs} ms")]
    private static partial void LogWarmed(ILogger logger, int questions, long elapsedMs);

    [LoggerMessage(EventId = 1021, Level = LogLevel.Debug, Message = "Chat pipeline not warmed: {Reason}")]
    private static partial void LogNotWarmed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1022, Level = LogLevel.Warning, Message = "Could not warm the chat pipeline; the first question will pay for it")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
