using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace RagFunctions.Site;

/// <summary>
/// One file of the site, held in memory: its bytes, media type and a strong ETag. Pages revalidate on every visit
/// (<c>no-cache</c>, a 304 when unchanged); scripts and styles asked for with their current <c>?v=</c> are cached a day.
/// </summary>
internal sealed class StaticFile
{
    /// <summary>No URL outside the site: scripts, styles and requests go to this origin only. Framing stays allowed (the Space shows the app in a frame).</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'";

    private static readonly Dictionary<string, string> MediaTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".json"] = "application/json; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".txt"] = "text/plain; charset=utf-8",
        [".md"] = "text/markdown; charset=utf-8",
    };

    public StaticFile(string name, byte[] content)
    {
        Name = name;
        Content = content;
        ContentType = MediaTypes.TryGetValue(Path.GetExtension(name), out var type) ? type : "application/octet-stream";
        Version = Convert.ToHexStringLower(SHA256.HashData(content))[..16];
        ETag = $"\"{Version}\"";
    }

    public string Name { get; }

    public byte[] Content { get; }

    public string ContentType { get; }

    /// <summary>A short hash of the content: the <c>?v=</c> that makes a cached script or style a new URL when it changes.</summary>
    public string Version { get; }

    public string ETag { get; }

    public bool IsPage => ContentType.StartsWith("text/html", StringComparison.Ordinal);

    public static StaticFile FromText(string name, string text) => new(name, Encoding.UTF8.GetBytes(text));

    /// <summary>The response to a GET or HEAD of this file.</summary>
    public IResult Serve(HttpRequest request) => new Result(this, request.Query["v"] == Version);

    private sealed class Result(StaticFile file, bool versioned) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.ContentType = file.ContentType;
            response.Headers.ETag = file.ETag;
            response.Headers.CacheControl = versioned ? "public, max-age=86400" : "no-cache";
            response.Headers.XContentTypeOptions = "nosniff";
            response.Headers["Referrer-Policy"] = "no-referrer";
            if (file.IsPage)
            {
                response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            }

            var conditions = httpContext.Request.GetTypedHeaders().IfNoneMatch;
            if (conditions.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(new EntityTagHeaderValue(file.ETag), useStrongComparison: false)))
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return Task.CompletedTask;
            }

            response.StatusCode = StatusCodes.Status200OK;
            response.ContentLength = file.Content.Length;
            return HttpMethods.IsHead(httpContext.Request.Method)
                ? Task.CompletedTask
                : response.Body.WriteAsync(file.Content, httpContext.RequestAborted).AsTask();
        }
    }
}
