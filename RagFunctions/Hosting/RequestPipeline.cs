using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace RagFunctions.Hosting;

/// <summary>
/// The steps both hosts run around every function, one code path: the request id and the log scope; the response
/// headers a page on another origin may read; the per-client rate limit (429 with <c>Retry-After</c>); the admin gate
/// for every route whose <c>[ApiDoc]</c> says <c>Admin = true</c> (404 when admin is off, 401 without the right key,
/// each refusal logged with the client and the route, never the key); the function,
/// whose failures become ProblemDetails through <see cref="ErrorMapping"/>; and the request's metric and its one closing
/// log line (method, route, status, milliseconds, request id, client). The Functions
/// host runs it from <see cref="FunctionsRequestMiddleware"/>, the standalone host from
/// <see cref="StandaloneFunctionEndpoints"/>. Body limits (413, 415) are read by each function through
/// <see cref="JsonBody"/>, the same under both hosts.
/// </summary>
internal sealed partial class RequestPipeline(
    ClientRateLimiter limiter, AdminGate admin, IProblemDetailsService problems, ILogger<RequestPipeline> logger, RagMetrics metrics)
{
    /// <summary>The route of the function the request is for, once the pipeline runs; null outside a function.</summary>
    public static FunctionRoute? Route(HttpContext http)
        => http.Items.TryGetValue(typeof(FunctionRoute), out var route) ? route as FunctionRoute : null;

    public async Task RunAsync(HttpContext http, string function, Func<Task> next)
    {
        using var scope = RequestLogScope.Begin(logger, function, http);
        var route = FunctionRoutes.Find(function);
        http.Items[typeof(FunctionRoute)] = route;
        if (http.Request.Headers.Origin.Count > 0 && !http.Response.Headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.AccessControlExposeHeaders))
        {
            // The Functions host's CORS (FUNCTIONS_ENABLE_CORS_CONFIGURATION) exposes no response headers: without this a
            // page on another origin could not read Retry-After or the request id. The standalone host's CORS sets them.
            http.Response.Headers.AccessControlExposeHeaders = string.Join(", ", CorsOriginsOptions.ExposedHeaders);
        }

        var started = Stopwatch.GetTimestamp();
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            if (limiter.Acquire(http, function) is { } limited)
            {
                await limited.ExecuteAsync(http);
            }
            else if (route?.Doc?.Admin == true && admin.Check(http.Request) is { } refusal)
            {
                LogAdminRefused(logger, route.Path, limiter.ClientOf(http), refusal);
                await AdminGate.Result(refusal).ExecuteAsync(http);
            }
            else
            {
                await next();
            }

            status = http.Response.StatusCode;
        }
        catch (Exception ex) when (!http.RequestAborted.IsCancellationRequested && !http.Response.HasStarted)
        {
            await WriteFailureAsync(http, function, ex);
            status = http.Response.StatusCode;
        }
        catch (Exception ex)
        {
            // 499: the client went away (nginx's convention); otherwise the stream had started, and the host ends it.
            status = http.RequestAborted.IsCancellationRequested ? 499 : ErrorMapping.Status(ex);
            throw;
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            metrics.Request(function, status, elapsed);
            LogRequest(logger, http.Request.Method, route?.Path ?? function, status, (long)elapsed.TotalMilliseconds, RequestLogScope.RequestId(http), limiter.ClientOf(http));
        }
    }

    private async Task WriteFailureAsync(HttpContext http, string function, Exception exception)
    {
        var status = ErrorMapping.Status(exception);
        if (exception is ServiceFailureException failure)
        {
            // Its message is safe to log and says what the operator needs; the stack would add nothing.
            LogFailed(logger, function, status, failure.Message);
        }
        else
        {
            LogUnhandled(logger, exception, function);
        }

        http.Response.StatusCode = status;
        await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, Exception = exception });
    }

    /// <summary>The one line every request ends with; the route template, never the path or query the client sent.</summary>
    [LoggerMessage(EventId = 9004, Level = LogLevel.Information, Message = "{Method} {Route} {Status} {ElapsedMs} ms request_id={RequestId} client={Client}")]
    private static partial void LogRequest(ILogger logger, string method, string route, int status, long elapsedMs, string requestId, string client);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Warning, Message = "Refused an admin call to {Route} from {Client}: {Refusal}")]
    private static partial void LogAdminRefused(ILogger logger, string route, string client, AdminRefusal refusal);

    [LoggerMessage(EventId = 9001, Level = LogLevel.Error, Message = "Unhandled error in function {Function}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string function);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "Function {Function} answered {Status}: {Reason}")]
    private static partial void LogFailed(ILogger logger, string function, int status, string reason);
}
