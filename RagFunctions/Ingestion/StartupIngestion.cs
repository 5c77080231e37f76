using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RagFunctions.Hosting;
using RagFunctions.Retrieval;
using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Ingestion;

/// <summary>
/// When the app starts on an empty index, it indexes the docs folder (the bundled sample book unless
/// <c>BOOK_DOCS_DIR</c> says otherwise) in the background, so the service answers at once and the book
/// becomes searchable a few seconds later.
/// </summary>
internal sealed partial class StartupIngestion(
    IVectorStore store,
    BookSource source,
    IngestionService ingestion,
    IOptions<BookOptions> book,
    IndexState index,
    TimeProvider time,
    ILogger<StartupIngestion> logger) : BackgroundService
{
    /// <summary>Completes when the start-up check (and ingestion, if any) is over; for readiness and tests.</summary>
    public Task Completion => completion.Task;

    /// <summary>When the start-up check (and ingestion, if any) was over; null until then.</summary>
    public DateTimeOffset? FinishedAt { get; private set; }

    private readonly TaskCompletionSource completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool building;

    /// <summary>
    /// True while the first index is being built (the app started on an empty index): questions then get "still
    /// indexing, ask again shortly" (<see cref="IndexBuildingException"/>) rather than "the book does not cover this".
    /// </summary>
    public bool BuildingFirstIndex => building;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Yield();
            var stats = await store.GetStatsAsync(stoppingToken);
            if (stats.Chunks > 0)
            {
                LogIndexPresent(logger, stats.Chunks, stats.Pages);
                return;
            }

            var folder = book.Value.DocsFolder;
            if (!Directory.Exists(folder))
            {
                LogNoBook(logger, folder);
                return;
            }

            LogIngesting(logger, folder);

            // An index built with another model is not "being built": its mismatch is the error readers should get.
            await index.EnsureReadyAsync(stoppingToken);
            building = true;
            await ingestion.IngestAsync(await source.ReadFolderAsync(folder, stoppingToken), complete: true, progress: null, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogFailed(logger, ex, ex.Message);
        }
        finally
        {
            building = false;
            FinishedAt = time.GetUtcNow();
            completion.TrySetResult();
        }
    }

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "Index holds {Chunks} chunks of {Pages} pages")]
    private static partial void LogIndexPresent(ILogger logger, long chunks, long pages);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Information, Message = "Index is empty: ingesting {Folder}")]
    private static partial void LogIngesting(ILogger logger, string folder);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning, Message = "Index is empty and there is no docs folder at {Folder}: run ingest")]
    private static partial void LogNoBook(ILogger logger, string folder);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Error, Message = "Ingestion at start failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, Exception exception, string reason);
}

/// <summary>A question arrived while the first index is still being built: 503, with when to ask again.</summary>
internal sealed class IndexBuildingException()
    : ServiceFailureException(503, "Book still being indexed", Sentence, Sentence, retryAfter: TimeSpan.FromSeconds(10))
{
    private const string Sentence = "The book is still being indexed for the first time. Please ask again in a few seconds.";
}
