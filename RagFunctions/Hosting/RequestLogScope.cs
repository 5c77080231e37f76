using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace RagFunctions.Hosting;

/// <summary>
/// Every log line written while a function runs carries the function name and the request id,
/// and the request id goes back to the caller in <c>X-Request-Id</c>.
/// </summary>
internal static class RequestLogScope
{
    public const string HeaderName = "X-Request-Id";

    public static IDisposable? Begin(ILogger logger, string function, HttpContext context)
    {
        var requestId = RequestId(context);
        context.Response.Headers[HeaderName] = requestId;
        return logger.BeginScope("function={Function} request_id={RequestId}", function, requestId);
    }

    /// <summary>The caller's id when it is a sane token, else ours.</summary>
    public static string RequestId(HttpContext context)
    {
        if (context.Items.TryGetValue(HeaderName, out var known) && known is string id)
        {
            return id;
        }

        var incoming = context.Request.Headers[HeaderName].ToString();
        id = IsSafe(incoming) ? incoming : Guid.NewGuid().ToString("N");
        context.Items[HeaderName] = id;
        context.TraceIdentifier = id;
        return id;
    }

    private static bool IsSafe(string value)
        => value.Length is > 0 and <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
