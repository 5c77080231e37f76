using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using RagFunctions.Hosting;
using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Retrieval.Embeddings;

/// <summary>
/// Loads and warms the local embedding model right after start, in the background: its first use reads the ONNX model
/// and compiles the code around it (several seconds), which the first reader after a restart would otherwise wait
/// for. <c>/health?ready=1</c> answers 503 until this is done. A provider's embeddings (Cohere) need no warming and
/// cost a call, so they are left alone. When the index already holds the book (a restart), one search follows, which
/// loads what the first question would otherwise load: the vocabulary for spelling, the full-text index's pages, and
/// the code of the retriever.
/// </summary>
internal sealed partial class EmbeddingWarmup(
    IEmbeddingGenerator<string, Embedding<float>> embeddings, IVectorStore store, Retriever retriever, ILogger<EmbeddingWarmup> logger) : StartupWarmup
{
    /// <summary>Whether the model was warmed (the local model); a provider's embeddings are left alone.</summary>
    public bool Warmed { get; private set; }

    protected override async Task WarmAsync(CancellationToken stoppingToken)
    {
        if (embeddings.GetService<LocalEmbeddingGenerator>() is null)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        await embeddings.EmbedQueryAsync("How does a robot warm up?", stoppingToken);
        LogWarmed(logger, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        Warmed = true;
        if ((await store.GetStatsAsync(stoppingToken)).Chunks > 0)
        {
            started = Stopwatch.GetTimestamp();
            await retriever.SearchAsync("How does a robot warm up?", 5, null, stoppingToken);
            LogSearched(logger, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    protected override void Failed(Exception exception) => LogFailed(logger, exception);

    [LoggerMessage(EventId = 2050, Level = LogLevel.Information, Message = "Embedding model loaded and warmed in {ElapsedMs} ms")]
    private static partial void LogWarmed(ILogger logger, long elapsedMs);

    [LoggerMessage(EventId = 2052, Level = LogLevel.Information, Message = "First search (vocabulary, full-text index) warmed in {ElapsedMs} ms")]
    private static partial void LogSearched(ILogger logger, long elapsedMs);

    [LoggerMessage(EventId = 2051, Level = LogLevel.Warning, Message = "Could not warm the embedding model; the first question will load it")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
