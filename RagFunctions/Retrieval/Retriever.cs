using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using RagFunctions.Retrieval.Embeddings;
using RagFunctions.Retrieval.Text;
using RagFunctions.Retrieval.VectorStore;
using RagFunctions.Retrieval.Vocabulary;

namespace RagFunctions.Retrieval;

/// <summary>
/// Hybrid search of the book for a question: corrects misspelt words against the book's vocabulary, embeds the
/// query, searches the store, and, when the reader is on a page of the book, blends in that page's best sections
/// (the reader's current page is the likeliest context).
/// </summary>
internal sealed partial class Retriever(
    IVectorStore store,
    IEmbeddingGenerator<string, Embedding<float>> embeddings,
    IndexState index,
    IndexVocabulary vocabulary,
    ILogger<Retriever> logger)
{
    /// <summary>Weight of the current page's own ranking when fused with the whole book's.</summary>
    private const double PageWeight = 0.5;

    /// <summary>Searches a reader's words: each misspelt word is first corrected against the book's vocabulary.</summary>
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(
        string query, int limit, CatalogPage? currentPage, CancellationToken cancellationToken, SearchMode mode = SearchMode.Hybrid)
    {
        await index.EnsureReadyAsync(cancellationToken);
        return await SearchCorrectedAsync(await vocabulary.CorrectAsync(query, cancellationToken), limit, currentPage, cancellationToken, mode);
    }

    /// <summary>
    /// Searches words already corrected against the book's vocabulary (<see cref="SpellingCorrector.CorrectText"/>): for
    /// the chat pipeline, which corrects the question once and uses the corrected words for its evidence too.
    /// </summary>
    public async Task<IReadOnlyList<SearchHit>> SearchCorrectedAsync(
        string corrected, int limit, CatalogPage? currentPage, CancellationToken cancellationToken, SearchMode mode = SearchMode.Hybrid)
    {
        await index.EnsureReadyAsync(cancellationToken);
        var watch = Stopwatch.StartNew();
        var vector = await embeddings.EmbedQueryAsync(TextAnalyzer.SpellOutNames(corrected), cancellationToken);
        var embedMs = watch.ElapsedMilliseconds;
        var hits = await store.SearchAsync(new SearchRequest(vector, corrected, limit * 2, mode), cancellationToken);

        if (currentPage is not null)
        {
            var local = await store.SearchAsync(new SearchRequest(vector, corrected, 3, mode, currentPage.PageUrl), cancellationToken);
            hits = Blend(hits, local);
        }

        var result = StubText.RealContentFirst(hits).Take(limit).ToArray();
        LogRetrieved(logger, result.Length, embedMs, watch.ElapsedMilliseconds - embedMs, currentPage is not null);
        return result;
    }

    /// <summary>Reciprocal-rank fusion of the whole-book list with the current page's list (weighted lower).</summary>
    internal static IReadOnlyList<SearchHit> Blend(IReadOnlyList<SearchHit> book, IReadOnlyList<SearchHit> page)
        => RankFusion.Fuse<SearchHit, string>(h => h.Chunk.Id, (book, 1.0), (page, PageWeight)).Select(f => f.Item).ToArray();

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information,
        Message = "Retrieved {HitCount} chunks (embedding {EmbedMs} ms, search {SearchMs} ms, current page {OnPage})")]
    private static partial void LogRetrieved(ILogger logger, int hitCount, long embedMs, long searchMs, bool onPage);
}
