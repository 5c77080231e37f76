using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using RagFunctions.Hosting;
using RagFunctions.Retrieval;

namespace RagFunctions.Site;

/// <summary>
/// The site, served by functions so that both hosts serve it: <c>GET /</c> (what this is, live health, a chat and an
/// Urdu translation to try), <c>GET /docs</c> (the API reference), <c>GET /openapi.json</c>, <c>GET /assets/{file}</c>
/// (their scripts and styles) and <c>GET /pages</c> (the indexed pages, for the translation try-out).
/// </summary>
internal sealed class SiteFunctions(BookCatalog catalog, IOptions<JsonOptions> json)
{
    [Function("home")]
    [ApiDoc("The front page", Tag = ApiTags.Site, ResponseMediaType = "text/html",
        Description = "What this service is, its live health, a chat that streams from /stream-chat, an Urdu translation try-out and a link to the API reference.")]
    public static IResult Home(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = FunctionRoutes.Root)] HttpRequest request)
        => SiteFiles.Get("index.html").Serve(request);

    [Function("docs")]
    [ApiDoc("The API reference", Tag = ApiTags.Site, ResponseMediaType = "text/html",
        Description = "Renders /openapi.json, with a form to try each operation from the browser.")]
    public static IResult Docs(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "docs")] HttpRequest request)
        => SiteFiles.Get("docs.html").Serve(request);

    [Function("openapi")]
    [ApiDoc("This OpenAPI document", Tag = ApiTags.Site, ResponseMediaType = "application/json",
        Description = "OpenAPI 3.1: every route of the route table, with request, response and error schemas generated from the contract types.")]
    public IResult OpenApi(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "openapi.json")] HttpRequest request)
        => OpenApiDocument.File(json.Value.SerializerOptions).Serve(request);

    [Function("assets")]
    [ApiDoc("A script or style of the site", Tag = ApiTags.Site, ResponseMediaType = "text/javascript", Errors = [StatusCodes.Status404NotFound],
        Description = "site.js, site.css, docs.js. With the ?v= the pages use, cached for a day; otherwise revalidated.")]
    public static IResult Assets(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "assets/{file}")] HttpRequest request)
    {
        return SiteFiles.Find(request.RouteValues["file"] as string ?? "") is { IsPage: false } file
            ? file.Serve(request)
            : TypedResults.Problem("There is no asset of that name.", statusCode: StatusCodes.Status404NotFound, title: "Not Found");
    }

    [Function("pages")]
    [ApiDoc("The indexed pages", Tag = ApiTags.Translation, Response = typeof(IndexedPages), Errors = [StatusCodes.Status503ServiceUnavailable],
        Description = "Every page of the book index, by title, with the URL that POST /translate accepts as page_url.")]
    public async Task<IResult> Pages(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "pages")] HttpRequest request, CancellationToken cancellationToken)
    {
        var pages = (await catalog.GetPagesAsync(cancellationToken))
            .Select(p => new IndexedPage(p.PageUrl, p.Title))
            .OrderBy(p => p.Url, StringComparer.Ordinal)
            .ToArray();
        return TypedResults.Json(new IndexedPages(pages.Length, pages), SiteJsonContext.Api.IndexedPages);
    }
}

/// <summary>What <c>GET /pages</c> answers.</summary>
internal sealed record IndexedPages(int Count, IReadOnlyList<IndexedPage> Pages);

/// <summary>A page of the index: the URL to send as <c>page_url</c>, and its title.</summary>
internal sealed record IndexedPage(string Url, string Title);
