using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using RagFunctions.Hosting;
using RagFunctions.Site;

namespace RagFunctions.Agents;

/// <summary>
/// The book for coding agents: <c>/mcp</c> (an MCP server over Streamable HTTP, stateless, served by the SDK through
/// <see cref="McpEndpoint"/>), <c>/llms.txt</c>, <c>/llms-full.txt</c> and each page's Markdown at <c>/llms/{page}.md</c>.
/// The text files are built from the index, kept per index version and revalidated by ETag like the site's pages.
/// </summary>
internal sealed partial class AgentFunctions(McpEndpoint mcp, BookText book)
{
    private static readonly ConditionalWeakTable<BookTextSnapshot, StaticFile> FullFiles = [];

    [Function("mcp")]
    [ApiDoc("The MCP server (Streamable HTTP)", Tag = ApiTags.Agents,
        Errors = [StatusCodes.Status405MethodNotAllowed, StatusCodes.Status406NotAcceptable, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType],
        Description = "Model Context Protocol over Streamable HTTP, stateless (no session id; any instance answers). POST one JSON-RPC message "
                      + "(`Content-Type: application/json`, `Accept: application/json, text/event-stream`, at most 32 KB); the answer is a "
                      + "`text/event-stream` carrying the JSON-RPC response, 202 for a notification. Tools: search_book, read_section, "
                      + "book_outline, ask_book; resources: every page as Markdown under its site URL. Errors that stop a message from being "
                      + "read (400 parse error or invalid request, 413, 415, 405 for GET and DELETE) carry a JSON-RPC error body; bad tool "
                      + "arguments and unknown tools are JSON-RPC errors -32602 in the stream. Rate limited per client like /chat.")]
    public Task<IResult> Mcp(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", "get", "delete", Route = "mcp")] HttpRequest request, CancellationToken cancellationToken)
        => mcp.HandleAsync(request, cancellationToken);

    [Function("llms")]
    [ApiDoc("The book for language models (llms.txt)", Tag = ApiTags.Agents, ResponseMediaType = "text/plain", Errors = [StatusCodes.Status503ServiceUnavailable],
        Description = "The llmstxt.org index of the book: its title, a summary, then each chapter's pages as links to their Markdown with one-line descriptions.")]
    public async Task<IResult> Llms(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "llms.txt")] HttpRequest request, CancellationToken cancellationToken)
    {
        var snapshot = await book.GetAsync(cancellationToken);
        return StaticFile.FromText("llms.txt", LlmsText.Index(snapshot, Origin(request))).Serve(request);
    }

    [Function("llms-full")]
    [ApiDoc("The whole book as Markdown (llms-full.txt)", Tag = ApiTags.Agents, ResponseMediaType = "text/plain", Errors = [StatusCodes.Status503ServiceUnavailable],
        Description = "Every indexed page's Markdown in reading order, code blocks exactly as published.")]
    public async Task<IResult> LlmsFull(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "llms-full.txt")] HttpRequest request, CancellationToken cancellationToken)
    {
        var snapshot = await book.GetAsync(cancellationToken);
        return FullFiles.GetValue(snapshot, s => StaticFile.FromText("llms-full.txt", LlmsText.Full(s))).Serve(request);
    }

    [Function("llms-page")]
    [ApiDoc("One page of the book as Markdown", Tag = ApiTags.Agents, ResponseMediaType = "text/markdown",
        Errors = [StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable],
        Description = "The page's Markdown (title, description, its published URL, then its source) at the path llms.txt links to: /llms/{page path}.md.")]
    public async Task<IResult> LlmsPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "llms/{*page}")] HttpRequest request, CancellationToken cancellationToken)
    {
        var path = request.RouteValues["page"] as string ?? "";
        var page = path.EndsWith(".md", StringComparison.Ordinal)
            ? (await book.GetAsync(cancellationToken)).FindByKey(path[..^3])
            : null;
        return page is null
            ? TypedResults.Problem("The book has no page at that path; /llms.txt links to every page.", statusCode: StatusCodes.Status404NotFound, title: "Not Found")
            : StaticFile.FromText(path, page.Document()).Serve(request);
    }

    /// <summary>
    /// This server as the client reached it, so the links in llms.txt point back here. Under the Functions host the worker
    /// sees the host's forwarded request, whose Host is the worker's own address: the host's forwarder says in
    /// <c>X-Forwarded-Host</c>/<c>-Proto</c> where the client came in. A client that sends them itself only changes its own
    /// links (nothing here is cached per origin).
    /// </summary>
    internal static string Origin(HttpRequest request)
    {
        var forwardedHost = First(request.Headers["X-Forwarded-Host"]);
        var forwardedProto = First(request.Headers["X-Forwarded-Proto"]);
        var host = forwardedHost is { Length: > 0 } && SafeHost().IsMatch(forwardedHost) ? forwardedHost : request.Host.ToUriComponent();
        var scheme = forwardedProto is "http" or "https" ? forwardedProto : request.Scheme;
        return $"{scheme}://{host}{request.PathBase.ToUriComponent()}";
    }

    private static string? First(Microsoft.Extensions.Primitives.StringValues values)
        => values.Count == 0 ? null : values[0]?.Split(',')[0].Trim();

    [System.Text.RegularExpressions.GeneratedRegex(@"^[A-Za-z0-9.\-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")]
    private static partial System.Text.RegularExpressions.Regex SafeHost();
}
