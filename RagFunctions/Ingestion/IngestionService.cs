using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using RagFunctions.Hosting;
using RagFunctions.Retrieval;
using RagFunctions.Retrieval.Embeddings;
using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Ingestion;

/// <summary>What an ingestion did.</summary>
internal sealed record IngestionReport(
    int Pages,
    int Sections,
    int ChunksAdded,
    int ChunksUpdated,
    int ChunksDeleted,
    int ChunksUnchanged,
    int PagesDeleted,
    double Seconds)
{
    public int ChunksEmbedded => ChunksAdded + ChunksUpdated;

    public override string ToString()
        => $"{Pages} pages, {Sections} sections; chunks: {ChunksAdded} added, {ChunksUpdated} updated, {ChunksDeleted} deleted, " +
           $"{ChunksUnchanged} unchanged; {PagesDeleted} pages removed; {Seconds:F1} s";
}

/// <summary>Progress of one ingestion: pages done out of pages read.</summary>
internal readonly record struct IngestionProgress(int PagesDone, int PagesTotal, string PageUrl);

/// <summary>Another ingestion is already running (one at a time per instance).</summary>
internal sealed class IngestionBusyException()
    : ServiceFailureException(409, "Ingestion running", Busy, Busy)
{
    private const string Busy = "An ingestion is already running; try again when it has finished.";
}

/// <summary>
/// Brings the index to the book's current state: pages → chunks → embeddings → store. Incremental: a chunk whose
/// content hash is unchanged is not embedded again; changed chunks are replaced; chunks and pages that disappeared
/// are deleted. Each page is written in one store call (one transaction in SQLite).
/// </summary>
internal sealed partial class IngestionService(
    IVectorStore store,
    IEmbeddingGenerator<string, Embedding<float>> embeddings,
    IndexState index,
    BookCatalog catalog,
    ILogger<IngestionService> logger)
{
    private readonly SemaphoreSlim running = new(1, 1);
    private readonly Chunker chunker = new();

    public bool IsRunning => running.CurrentCount == 0;

    /// <param name="complete">True when <paramref name="pages"/> is the whole book: indexed pages not in it are deleted.</param>
    public async Task<IngestionReport> IngestAsync(
        IReadOnlyList<BookPage> pages, bool complete, IProgress<IngestionProgress>? progress, CancellationToken cancellationToken)
    {
        if (!await running.WaitAsync(0, cancellationToken))
        {
            throw new IngestionBusyException();
        }

        try
        {
            // Check the store again rather than trust an earlier check: an ingest is how an operator rebuilds an index
            // deleted behind the app's back (a Qdrant collection, the SQLite tables), and it must create what is missing.
            index.Reset();
            await index.EnsureReadyAsync(cancellationToken);
            var watch = Stopwatch.StartNew();
            var counts = new Counts();
            for (var i = 0; i < pages.Count; i++)
            {
                await WritePageAsync(pages[i], counts, cancellationToken);
                progress?.Report(new IngestionProgress(i + 1, pages.Count, pages[i].PageUrl));
            }

            var pagesDeleted = 0;
            if (complete)
            {
                var current = pages.Select(p => p.PageUrl).ToHashSet(StringComparer.Ordinal);
                var gone = (await store.GetPageUrlsAsync(cancellationToken)).Where(url => !current.Contains(url)).ToArray();
                foreach (var url in gone)
                {
                    counts.Deleted += (await store.GetChunkHashesAsync(url, cancellationToken)).Count;
                }

                if (gone.Length > 0)
                {
                    await store.DeletePagesAsync(gone, cancellationToken);
                }

                pagesDeleted = gone.Length;
            }

            await store.MarkBuiltAsync(DateTimeOffset.UtcNow, cancellationToken);
            catalog.Invalidate();
            var report = new IngestionReport(
                pages.Count, pages.Sum(p => p.Sections.Count), counts.Added, counts.Updated, counts.Deleted, counts.Unchanged, pagesDeleted,
                watch.Elapsed.TotalSeconds);
            LogIngested(logger, report.ToString());
            return report;
        }
        finally
        {
            running.Release();
        }
    }

    private async Task WritePageAsync(BookPage page, Counts counts, CancellationToken cancellationToken)
    {
        var chunks = chunker.Chunk(page, ChunkingOptions.Default);
        var existing = await store.GetChunkHashesAsync(page.PageUrl, cancellationToken);
        var changed = chunks.Where(c => !existing.TryGetValue(c.Id, out var hash) || hash != c.ContentHash).ToArray();
        var keep = chunks.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);

        counts.Added += changed.Count(c => !existing.ContainsKey(c.Id));
        counts.Updated += changed.Count(c => existing.ContainsKey(c.Id));
        counts.Unchanged += chunks.Count - changed.Length;
        counts.Deleted += existing.Keys.Count(id => !keep.Contains(id));
        if (changed.Length == 0 && existing.Count == keep.Count)
        {
            return;
        }

        var vectors = await embeddings.EmbedDocumentsAsync(changed.Select(c => c.Text).ToArray(), cancellationToken);
        var indexed = changed.Select((c, i) => new IndexedChunk(c, vectors[i])).ToArray();
        await store.WritePageAsync(new PageWrite(page.PageUrl, indexed, keep), cancellationToken);
    }

    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Ingested: {Report}")]
    private static partial void LogIngested(ILogger logger, string report);

    private sealed class Counts
    {
        public int Added { get; set; }

        public int Updated { get; set; }

        public int Deleted { get; set; }

        public int Unchanged { get; set; }
    }
}
