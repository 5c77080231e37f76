using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Retrieval;

/// <summary>
/// Whether the index fits the configured embedding model. Checked once (and again after a failure); a mismatch is
/// remembered and reported on every use — the fix is to re-index, and answering from a mismatched index would be garbage.
/// </summary>
internal sealed partial class IndexState(
    IVectorStore store,
    IEmbeddingGenerator<string, Embedding<float>> embeddings,
    ILogger<IndexState> logger)
{
    private readonly SemaphoreSlim once = new(1, 1);
    private volatile bool ready;

    public EmbeddingModelInfo Embedding { get; } = Describe(embeddings);

    public async Task EnsureReadyAsync(CancellationToken cancellationToken)
    {
        if (ready)
        {
            return;
        }

        await once.WaitAsync(cancellationToken);
        try
        {
            if (!ready)
            {
                try
                {
                    await store.EnsureReadyAsync(Embedding, cancellationToken);
                    ready = true;
                }
                catch (IndexMismatchException ex)
                {
                    LogMismatch(logger, ex.Message);
                    throw;
                }
            }
        }
        finally
        {
            once.Release();
        }
    }

    /// <summary>Forget the check, e.g. after the index was deleted and rebuilt.</summary>
    public void Reset() => ready = false;

    private static EmbeddingModelInfo Describe(IEmbeddingGenerator<string, Embedding<float>> embeddings)
    {
        var metadata = embeddings.GetService<EmbeddingGeneratorMetadata>();
        return new EmbeddingModelInfo(
            metadata?.DefaultModelId ?? "unknown",
            metadata?.DefaultModelDimensions ?? throw new InvalidOperationException("The embedding generator does not say its dimension."));
    }

    [LoggerMessage(EventId = 2900, Level = LogLevel.Error, Message = "{Message}")]
    private static partial void LogMismatch(ILogger logger, string message);
}
