using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RagFunctions.Retrieval;
using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Ingestion;

/// <summary>
/// Notices when the index the server reads was rebuilt — by this instance, by <c>ingest</c> run from the command line
/// into the same data folder, or by another instance sharing Qdrant — and says which book it now serves (pages, chunks,
/// the address its citations point at), warning when that is not the configured <c>BOOK_BASE_URL</c>. The catalog
/// forgets its snapshot at once, so pages and citations follow the new book without waiting for it to expire.
/// At its first look at a built index it says which book the server starts with; a build under way is reported once, when it ends.
/// Reads the store's stats every half second (SQLite, a local file) or five seconds (Qdrant, a network call).
/// </summary>
internal sealed partial class IndexWatcher(
    IVectorStore store,
    BookCatalog catalog,
    StorageChoice storage,
    IOptions<BookOptions> book,
    TimeProvider clock,
    ILogger<IndexWatcher> logger) : BackgroundService
{
    private bool looked;
    private DateTimeOffset? builtAt;

    private TimeSpan Interval => storage.Kind == StorageKind.Qdrant ? TimeSpan.FromSeconds(5) : TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The store being down is health's to report; the next tick tries again.
                LogCheckFailed(logger, ex.Message);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    /// <summary>
    /// Compares the index's build time with the last one seen; logs the book when a build has finished since. Pages and
    /// chunks change all through a build (a line every half second while a book is ingested); its end is marked once.
    /// </summary>
    internal async Task CheckAsync(CancellationToken cancellationToken)
    {
        var stats = await store.GetStatsAsync(cancellationToken);
        var first = !looked;
        var previous = builtAt;
        (looked, builtAt) = (true, stats.BuiltAt);
        if (stats.BuiltAt is null || stats.BuiltAt == previous)
        {
            return;
        }

        var baseUrl = IndexedBook.BaseUrlOf(await store.GetPageUrlsAsync(cancellationToken));
        var shown = baseUrl.Length > 0 ? baseUrl : "(no pages)";
        if (first)
        {
            // The first look: the book this server starts with, so its log says what it serves before anyone asks.
            LogServing(logger, stats.Pages, stats.Chunks, shown);
        }
        else
        {
            catalog.Invalidate();
            LogNowServing(logger, stats.Pages, stats.Chunks, shown);
        }

        var configured = book.Value.SiteUrl.AbsoluteUri;
        if (baseUrl.Length > 0 && !baseUrl.StartsWith(configured, StringComparison.OrdinalIgnoreCase))
        {
            LogOtherBaseUrl(logger, baseUrl, configured);
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 4030, Level = LogLevel.Information,
        Message = "The index was rebuilt: now serving {Pages} pages, {Chunks} chunks; citations point at {BaseUrl}")]
    private static partial void LogNowServing(ILogger logger, long pages, long chunks, string baseUrl);

    [LoggerMessage(EventId = 4033, Level = LogLevel.Information,
        Message = "Serving {Pages} pages, {Chunks} chunks; citations point at {BaseUrl}")]
    private static partial void LogServing(ILogger logger, long pages, long chunks, string baseUrl);

    [LoggerMessage(EventId = 4031, Level = LogLevel.Warning,
        Message = "The index's pages are under {IndexBaseUrl}, not under BOOK_BASE_URL {ConfiguredBaseUrl}: readers' page URLs will not match; set BOOK_BASE_URL to the book's address or ingest again")]
    private static partial void LogOtherBaseUrl(ILogger logger, string indexBaseUrl, string configuredBaseUrl);

    [LoggerMessage(EventId = 4032, Level = LogLevel.Debug, Message = "Index check failed: {Reason}")]
    private static partial void LogCheckFailed(ILogger logger, string reason);
}
