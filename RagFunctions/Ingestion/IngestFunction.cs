using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using RagFunctions.Hosting;

namespace RagFunctions.Ingestion;

/// <summary>
/// <c>POST /admin/ingest</c> (behind <c>ADMIN_API_KEY</c>): re-indexes the configured docs folder, or the live site
/// when <c>{"source": "sitemap"}</c> is sent and <c>SITEMAP_URL</c> is set. Answers with the report.
/// </summary>
internal sealed class IngestFunction(AdminGate admin, BookSource source, IngestionService ingestion, IOptions<BookOptions> book)
{
    [Function("admin-ingest")]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "admin/ingest")] HttpRequest request, CancellationToken cancellationToken)
    {
        if (admin.Check(request) is { } denied)
        {
            return denied;
        }

        var fromSitemap = request.Query["source"] == "sitemap";
        if (fromSitemap && string.IsNullOrWhiteSpace(book.Value.SitemapUrl))
        {
            return TypedResults.Problem("Set SITEMAP_URL to ingest from the live site.", statusCode: StatusCodes.Status400BadRequest, title: "No sitemap configured");
        }

        if (ingestion.IsRunning)
        {
            return TypedResults.Problem("An ingestion is already running; try again when it has finished.", statusCode: StatusCodes.Status409Conflict, title: "Ingestion running");
        }

        var pages = fromSitemap
            ? await source.ReadSitemapAsync(new Uri(book.Value.SitemapUrl!), cancellationToken)
            : await source.ReadFolderAsync(book.Value.DocsFolder, cancellationToken);
        return TypedResults.Ok(await ingestion.IngestAsync(pages, complete: true, progress: null, cancellationToken));
    }
}
