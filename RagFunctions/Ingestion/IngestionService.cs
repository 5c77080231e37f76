using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using RagFunctions.Hosting;
using RagFunctions.Retrieval;
using RagFunctions.Retrieval.Embeddings;
using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Ingestion;

/// <summary>
/// What an ingestion did. <see cref="Pages"/> counts the pages indexed, as <c>/pages</c> and <c>/health</c> count them;
/// <see cref="Files"/> accounts for every file read: indexed, repaired (indexed after a repair) or skipped, with why.
/// </summary>
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

    /// <summary>Files (or built pages) read: <see cref="Pages"/> indexed plus <see cref="FilesSkipped"/>.</summary>
    public int FilesRead { get; init; }

    /// <summary>Pages indexed after a repair (counted in <see cref="Pages"/> too).</summary>
    public int PagesRepaired { get; init; }

    public int FilesSkipped { get; init; }

    /// <summary>Chunks the index holds for the book after this ingestion.</summary>
    public int Chunks { get; init; }

    /// <summary>Every file read, in path order.</summary>
    public IReadOnlyList<IngestedFile> Files { get; init; } = [];

    public override string ToString()
        => $"{FilesRead} files read: {Pages} pages indexed ({PagesRepaired} repaired), {FilesSkipped} skipped; {Sections} sections, {Chunks} chunks: " +
           $"{ChunksAdded} added, {ChunksUpdated} updated, {ChunksDeleted} deleted, {ChunksUnchanged} unchanged; {PagesDeleted} pages removed; {Seconds:F1} s";
}

/// <summary>One file of an ingestion and what became of it.</summary>
/// <param name="Path">Relative to the docs folder (with <c>/</c>), or the URL of a built page.</param>
/// <param name="Status"><c>indexed</c>, <c>repaired</c> (indexed after a repair) or <c>skipped</c>.</param>
/// <param name="Reason">What was repaired, or why the file was skipped; null for a page indexed as written.</param>
/// <param name="Url">The page URL, when indexed.</param>
/// <param name="Chunks">Chunks indexed for it.</param>
internal sealed record IngestedFile(string Path, string Status, string? Reason, string? Url, int Chunks)
{
    public const string Indexed = "indexed";
    public const string Repaired = "repaired";
    public const string Skipped = "skipped";
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
    public Task<IngestionReport> IngestAsync(
        IReadOnlyList<BookPage> pages, bool complete, IProgress<IngestionProgress>? progress, CancellationToken cancellationToken)
        => IngestAsync(BookRead.Of(pages), complete, progress, cancellationToken);

    /// <param name="complete">True when <paramref name="book"/> is the whole book: indexed pages not in it are deleted.</param>
    public async Task<IngestionReport> IngestAsync(
        BookRead book, bool complete, IProgress<IngestionProgress>? progress, CancellationToken cancellationToken)
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
            var pages = book.Pages;
            var files = book.Skipped.Select(s => new IngestedFile(s.Path, IngestedFile.Skipped, s.Reason, null, 0)).ToList();
            var indexed = new HashSet<string>(StringComparer.Ordinal);
            var sections = 0;
            for (var i = 0; i < pages.Count; i++)
            {
                var page = pages[i];
                var chunks = await WritePageAsync(page, counts, cancellationToken);
                if (chunks.Count == 0)
                {
                    files.Add(new IngestedFile(page.SourcePath, IngestedFile.Skipped, SkipReasons.Empty, null, 0));
                }
                else
                {
                    indexed.Add(page.PageUrl);
                    sections += page.Sections.Count;
                    var stub = chunks.Stub ? StubNote : null;
                    files.Add(page.Repairs.Count > 0
                        ? new IngestedFile(page.SourcePath, IngestedFile.Repaired, string.Join("; ", [.. page.Repairs, .. stub is null ? [] : new[] { stub }]), page.PageUrl, chunks.Count)
                        : new IngestedFile(page.SourcePath, IngestedFile.Indexed, stub, page.PageUrl, chunks.Count));
                }

                progress?.Report(new IngestionProgress(i + 1, pages.Count, page.PageUrl));
            }

            var pagesDeleted = 0;
            if (complete)
            {
                var gone = (await store.GetPageUrlsAsync(cancellationToken)).Where(url => !indexed.Contains(url)).ToArray();
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
                indexed.Count, sections, counts.Added, counts.Updated, counts.Deleted, counts.Unchanged, pagesDeleted,
                watch.Elapsed.TotalSeconds)
            {
                FilesRead = files.Count,
                PagesRepaired = files.Count(f => f.Status == IngestedFile.Repaired),
                FilesSkipped = files.Count(f => f.Status == IngestedFile.Skipped),
                Chunks = counts.Total,
                Files = [.. files.OrderBy(f => f.Path, StringComparer.Ordinal)],
            };
            LogIngested(logger, report.ToString());
            return report;
        }
        finally
        {
            running.Release();
        }
    }

    /// <summary>Said of a page whose every chunk is a placeholder.</summary>
    private const string StubNote = "stub (placeholder text only: indexed, never ranked above real content)";

    /// <summary>Writes the page's chunks (a page without any is left out); says how many it has and whether all are stubs.</summary>
    private async Task<(int Count, bool Stub)> WritePageAsync(BookPage page, Counts counts, CancellationToken cancellationToken)
    {
        var chunks = chunker.Chunk(page, ChunkingOptions.Default);
        if (chunks.Count == 0)
        {
            return (0, false);
        }

        var stub = chunks.All(c => StubText.IsStub(c.Text));
        counts.Total += chunks.Count;
        var existing = await store.GetChunkHashesAsync(page.PageUrl, cancellationToken);
        var changed = chunks.Where(c => !existing.TryGetValue(c.Id, out var hash) || hash != c.ContentHash).ToArray();
        var keep = chunks.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);

        counts.Added += changed.Count(c => !existing.ContainsKey(c.Id));
        counts.Updated += changed.Count(c => existing.ContainsKey(c.Id));
        counts.Unchanged += chunks.Count - changed.Length;
        counts.Deleted += existing.Keys.Count(id => !keep.Contains(id));
        if (changed.Length == 0 && existing.Count == keep.Count)
        {
            return (chunks.Count, stub);
        }

        var vectors = await embeddings.EmbedDocumentsAsync(changed.Select(c => c.Text).ToArray(), cancellationToken);
        var indexed = changed.Select((c, i) => new IndexedChunk(c, vectors[i])).ToArray();
        await store.WritePageAsync(new PageWrite(page.PageUrl, indexed, keep), cancellationToken);
        return (chunks.Count, stub);
    }

    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Ingested: {Report}")]
    private static partial void LogIngested(ILogger logger, string report);

    private sealed class Counts
    {
        public int Added { get; set; }

        public int Updated { get; set; }

        public int Deleted { get; set; }

        public int Unchanged { get; set; }

        public int Total { get; set; }
    }
}
