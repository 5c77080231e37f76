using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace RagFunctions.Cohere;

/// <summary>
/// Cohere's resilience pipeline, outermost first: a total timeout, retries with jittered exponential backoff
/// (or the server's <c>retry-after-ms</c>/<c>Retry-After</c>), and a per-attempt timeout.
/// The pipeline ends when the response headers arrive: a stream's body is read after it, so a long answer is never
/// cut by the total timeout nor replayed by a retry; only connecting and the first byte are retried.
/// Idle streams are ended by <see cref="CohereEventStream"/> instead.
/// </summary>
internal static class CohereResilience
{
    /// <summary>The statuses Cohere documents as worth retrying.</summary>
    public static bool IsRetryableStatus(HttpStatusCode status)
        => status is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError
            or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, CohereOptions options, ILogger logger, TimeProvider time)
    {
        builder.AddTimeout(new HttpTimeoutStrategyOptions { Name = "CohereTotalTimeout", Timeout = options.TotalTimeout });
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                Name = "CohereRetry",
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.MaxRetryAfter,
                ShouldRetryAfterHeader = false,
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, options.MaxRetryAfter, time.GetUtcNow())),
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result is { } response ? RetryAfter(response, time.GetUtcNow()) : null),
                OnRetry = args =>
                {
                    LogRetry(logger, args);
                    return default;
                },
            });
        }

        builder.AddTimeout(new HttpTimeoutStrategyOptions { Name = "CohereAttemptTimeout", Timeout = options.AttemptTimeout });
    }

    public static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, TimeSpan maxRetryAfter, DateTimeOffset now) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => IsRetryableStatus(response.StatusCode) && !(RetryAfter(response, now) > maxRetryAfter),
        _ => false,
    };

    /// <summary>
    /// The wait the server asks for: <c>retry-after-ms</c> (milliseconds), else <c>Retry-After</c> as seconds or an HTTP date.
    /// Null when it asks for nothing, so the backoff applies.
    /// </summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        if (response.Headers.TryGetValues("retry-after-ms", out var values)
            && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms)
            && ms >= 0 && double.IsFinite(ms))
        {
            return TimeSpan.FromMilliseconds(ms);
        }

        return response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta < TimeSpan.Zero ? TimeSpan.Zero : delta,
            { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
            _ => null,
        };
    }

    /// <summary>Seconds as people read them: <c>2</c>, <c>0.25</c>, <c>1.5</c>.</summary>
    public static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Describe(HttpRequestException exception) => exception.HttpRequestError switch
    {
        HttpRequestError.NameResolutionError => "host name not found",
        HttpRequestError.ConnectionError => "cannot connect",
        HttpRequestError.SecureConnectionError => "TLS handshake failed",
        HttpRequestError.ResponseEnded => "connection closed",
        HttpRequestError.HttpProtocolError or HttpRequestError.InvalidResponse => "invalid HTTP response",
        HttpRequestError.ProxyTunnelError => "proxy error",
        _ => "network error",
    };

    private static void LogRetry(ILogger logger, OnRetryArguments<HttpResponseMessage> args)
    {
        var delay = Seconds(args.RetryDelay);
        switch (args.Outcome)
        {
            case { Result.StatusCode: HttpStatusCode.TooManyRequests }:
                Log.RateLimitedRetrying(logger, 429, delay);
                break;
            case { Result: { } response }:
                Log.UnavailableRetrying(logger, (int)response.StatusCode, delay);
                break;
            case { Exception: TimeoutRejectedException timeout }:
                Log.TimeoutRetrying(logger, Seconds(timeout.Timeout), delay);
                break;
            case { Exception: HttpRequestException transport }:
                Log.ConnectionRetrying(logger, Describe(transport), delay);
                break;
        }
    }
}

/// <summary>Headers Cohere reads on every call.</summary>
internal static class CohereHeaders
{
    public const string ClientName = "ragfunctions";

    public static void Apply(HttpRequestHeaders headers, string apiKey)
    {
        headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        headers.Add("X-Client-Name", ClientName);
    }
}
