using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using RagFunctions.Hosting;

namespace RagFunctions.Ingestion;

/// <summary>
/// <c>POST /manage/ingest</c> (behind <c>ADMIN_API_KEY</c>): re-indexes the configured docs folder, or the live site
/// when <c>{"source": "sitemap"}</c> is sent and <c>SITEMAP_URL</c> is set. Answers with the report, or, when the index
/// cannot be written (locked, disk full, unreadable), a 503 that, on this admin route, carries the store's own sentence:
/// the caller is the operator, who needs the cause and the fix. Pages written before the failure stay written, each one whole.
/// </summary>
internal sealed class IngestFunction(BookSource source, IngestionService ingestion, IOptions<BookOptions> book)
{
    [Function("admin-ingest")]
    [ApiDoc("Re-index the book", Tag = ApiTags.Admin, Admin = true, Response = typeof(IngestionReport), Query = ["source: sitemap to read the live site (SITEMAP_URL) instead of the docs folder"],
        Errors = [StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict, StatusCodes.Status503ServiceUnavailable],
        Description = "Reads the configured docs folder (or the live site) and rebuilds the index; answers with the report.")]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/ingest")] HttpRequest request, CancellationToken cancellationToken)
    {
        var fromSitemap = request.Query["source"] == "sitemap";
        if (fromSitemap && string.IsNullOrWhiteSpace(book.Value.SitemapUrl))
        {
            return TypedResults.Problem("Set SITEMAP_URL to ingest from the live site.", statusCode: StatusCodes.Status400BadRequest, title: "No sitemap configured");
        }

        if (ingestion.IsRunning)
        {
            // Before reading the pages, which takes a while; the service checks again as it starts.
            throw new IngestionBusyException();
        }

        var pages = fromSitemap
            ? await source.ReadSitemapAsync(new Uri(book.Value.SitemapUrl!), cancellationToken)
            : await source.ReadFolderAsync(book.Value.DocsFolder, cancellationToken);
        return TypedResults.Ok(await ingestion.IngestAsync(pages, complete: true, progress: null, cancellationToken));
    }
}
