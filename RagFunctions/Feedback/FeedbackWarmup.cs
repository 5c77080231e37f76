using Microsoft.Extensions.Logging;
using RagFunctions.Hosting;
using RagFunctions.Retrieval.Embeddings;

namespace RagFunctions.Feedback;

/// <summary>
/// Opens the feedback store right after start, before <c>/health?ready=1</c> says ready, by looking up an answer that
/// does not exist: the first answer's record otherwise paid for it (the SQLite file's schema is checked once per process,
/// in a write transaction). Nothing is written. Like the chat's warm-up, only with the local embedding model.
/// </summary>
internal sealed partial class FeedbackWarmup(IFeedbackStore store, EmbeddingWarmup embeddings, ILogger<FeedbackWarmup> logger) : StartupWarmup
{
    protected override async Task WarmAsync(CancellationToken stoppingToken)
    {
        await embeddings.Completion.WaitAsync(stoppingToken);
        if (embeddings.Warmed)
        {
            await store.FindAnswerAsync("warm-up", stoppingToken);
        }
    }

    /// <summary>The first answer's record will meet the same failure and log it.</summary>
    protected override void Failed(Exception exception) => LogNotOpened(logger, exception.Message);

    [LoggerMessage(EventId = 6110, Level = LogLevel.Debug, Message = "Feedback store not opened at start: {Reason}")]
    private static partial void LogNotOpened(ILogger logger, string reason);
}
