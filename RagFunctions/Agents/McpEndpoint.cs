using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace RagFunctions.Agents;

/// <summary>
/// The MCP SDK's own Streamable HTTP handler, called from a function. The SDK serves HTTP through <c>MapMcp</c>, which
/// adds endpoints to a route table; here it maps them into a private builder once, and the function hands each request to
/// the SDK's POST delegate, so both hosts run the SDK's transport (stateless: one server per request, no session id) while
/// the function model's route table, rate limit and failure model stay in charge. Before the SDK sees a request, the body
/// is bounded and checked here, since the SDK would read any length and answer a wrong content type with a 500:
/// not JSON → 415, over <see cref="MaxBodyBytes"/> → 413, not JSON → 400 "parse error", not one object → 400 "invalid
/// request", each with a JSON-RPC error body (<c>id: null</c>) that says what to fix.
/// </summary>
internal sealed class McpEndpoint
{
    /// <summary>The most one JSON-RPC message may be: <c>ask_book</c>'s question and selected text at their limits, with room.</summary>
    public const int MaxBodyBytes = 32 * 1024;

    private const int MaxDepth = 32;

    private static readonly JsonDocumentOptions Parsing = new() { MaxDepth = MaxDepth };

    private readonly RequestDelegate post;

    public McpEndpoint(IServiceProvider services)
    {
        var routes = new PrivateRoutes(services);
        routes.MapMcp("");
        post = routes.DataSources
            .SelectMany(source => source.Endpoints)
            .OfType<RouteEndpoint>()
            .Single(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(HttpMethods.Post) == true)
            .RequestDelegate ?? throw new InvalidOperationException("The MCP SDK mapped no POST handler.");
    }

    /// <summary>The answer to one request to <c>/mcp</c>: the SDK's, or a JSON-RPC error when the body is not one it should read.</summary>
    public async Task<IResult> HandleAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!HttpMethods.IsPost(request.Method))
        {
            // Stateless: no stream to open with GET and no session to end with DELETE (the spec's answer is 405).
            return new JsonRpcErrorResult(StatusCodes.Status405MethodNotAllowed, -32000,
                "Method not allowed: this MCP server is stateless; send each JSON-RPC message with POST.", allow: HttpMethods.Post);
        }

        if (!IsJson(request.ContentType))
        {
            return new JsonRpcErrorResult(StatusCodes.Status415UnsupportedMediaType, (int)McpErrorCode.InvalidRequest,
                "Unsupported media type: send the JSON-RPC message with 'Content-Type: application/json'.");
        }

        var body = await ReadAsync(request, cancellationToken);
        if (body is null)
        {
            return new JsonRpcErrorResult(StatusCodes.Status413PayloadTooLarge, (int)McpErrorCode.InvalidRequest,
                $"Request too large: one JSON-RPC message may be at most {MaxBodyBytes / 1024} KB ({MaxBodyBytes} bytes).");
        }

        if (Check(body) is { } problem)
        {
            return problem;
        }

        return new SdkResult(post, body);
    }

    private static JsonRpcErrorResult? Check(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body, Parsing);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? null
                : new JsonRpcErrorResult(StatusCodes.Status400BadRequest, (int)McpErrorCode.InvalidRequest,
                    "Invalid request: the body must be one JSON-RPC message, a JSON object (batches are not supported).");
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1})" : "";
            return new JsonRpcErrorResult(StatusCodes.Status400BadRequest, (int)McpErrorCode.ParseError,
                $"Parse error: the body is not valid UTF-8 JSON{where}, or it is nested deeper than {MaxDepth} levels.");
        }
    }

    /// <summary>The body, or null when it is longer than <see cref="MaxBodyBytes"/> (never buffered past that).</summary>
    private static async Task<byte[]?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(MaxBodyBytes + 1);
        try
        {
            var length = await request.Body.ReadAtLeastAsync(buffer.AsMemory(0, MaxBodyBytes + 1), MaxBodyBytes + 1, throwOnEndOfStream: false, cancellationToken);
            return length > MaxBodyBytes ? null : buffer.AsSpan(0, length).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool IsJson(string? contentType)
        => MediaTypeHeaderValue.TryParse(contentType, out var media)
           && media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
           && (!media.Charset.HasValue || media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    /// <summary>Runs the SDK's handler on the checked body (the request's own stream has been read).</summary>
    private sealed class SdkResult(RequestDelegate handler, byte[] body) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Request.Body = new MemoryStream(body, writable: false);
            httpContext.Request.ContentLength = body.Length;
            return handler(httpContext);
        }
    }

    /// <summary>Where <c>MapMcp</c> puts its endpoints: read once, never routed.</summary>
    private sealed class PrivateRoutes(IServiceProvider services) : IEndpointRouteBuilder
    {
        public IServiceProvider ServiceProvider => services;

        public ICollection<EndpointDataSource> DataSources { get; } = [];

        public IApplicationBuilder CreateApplicationBuilder() => new ApplicationBuilder(services);
    }
}

/// <summary>A JSON-RPC error response (<c>id: null</c>: the request could not be read) with an HTTP status, as the Streamable HTTP transport allows.</summary>
internal sealed class JsonRpcErrorResult(int status, int code, string message, string? allow = null) : IResult
{
    public int StatusCode => status;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        if (allow is not null)
        {
            httpContext.Response.Headers.Allow = allow;
        }

        var error = new JsonRpcError { Error = new JsonRpcErrorDetail { Code = code, Message = message } };
        var type = (System.Text.Json.Serialization.Metadata.JsonTypeInfo<JsonRpcError>)McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcError));
        return Results.Json(error, type, statusCode: status).ExecuteAsync(httpContext);
    }
}
