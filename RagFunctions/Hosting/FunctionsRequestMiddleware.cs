using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace RagFunctions.Hosting;

/// <summary>
/// Under the Functions host: the request id and log scope, the per-client rate limit, ProblemDetails instead of
/// a bare 500, and the CORS response headers the host does not expose, as the standalone host does.
/// </summary>
internal sealed partial class FunctionsRequestMiddleware(
    ILogger<FunctionsRequestMiddleware> logger, IProblemDetailsService problems, ClientRateLimiter limiter, RagMetrics? metrics = null)
    : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        var http = context.GetHttpContext();
        if (http is null)
        {
            await next(context);
            return;
        }

        using var scope = RequestLogScope.Begin(logger, context.FunctionDefinition.Name, http);
        if (http.Request.Headers.Origin.Count > 0)
        {
            // The host's CORS (FUNCTIONS_ENABLE_CORS_CONFIGURATION) allows origins, methods and headers but exposes no
            // response headers: without this a page on another origin could not read Retry-After or the request id.
            http.Response.Headers.AccessControlExposeHeaders = string.Join(", ", CorsOriginsOptions.ExposedHeaders);
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            if (limiter.Acquire(http, context.FunctionDefinition.Name) is { } limited)
            {
                await limited.ExecuteAsync(http);
                return;
            }

            await next(context);
        }
        catch (Exception ex) when (!http.RequestAborted.IsCancellationRequested && !http.Response.HasStarted)
        {
            LogUnhandled(logger, ex, context.FunctionDefinition.Name);
            http.Response.StatusCode = ErrorMapping.Status(ex);
            await problems.WriteAsync(new ProblemDetailsContext { HttpContext = http, Exception = ex });
        }
        finally
        {
            metrics?.Request(context.FunctionDefinition.Name, http.Response.StatusCode, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        }
    }

    [LoggerMessage(EventId = 9001, Level = LogLevel.Error, Message = "Unhandled error in function {Function}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string function);
}
