using Microsoft.Extensions.Logging;

namespace RagFunctions.Cohere;

/// <summary>Cohere log lines, event ids 3000-3099. The host's scope adds <c>function=... request_id=...</c>; no key, prompt or book text here.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Warning, Message = "Cohere rate limited: {Status}, retrying in {Delay} s")]
    public static partial void RateLimitedRetrying(ILogger logger, int status, string delay);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Warning, Message = "Cohere unavailable: {Status}, retrying in {Delay} s")]
    public static partial void UnavailableRetrying(ILogger logger, int status, string delay);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "Cohere connection failed: {Reason}, retrying in {Delay} s")]
    public static partial void ConnectionRetrying(ILogger logger, string reason, string delay);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Cohere timed out after {Timeout} s, retrying in {Delay} s")]
    public static partial void TimeoutRetrying(ILogger logger, string timeout, string delay);

    /// <summary>Misconfiguration or a request Cohere rejects: someone has to act.</summary>
    [LoggerMessage(EventId = 3010, Level = LogLevel.Error, Message = "{Failure}")]
    public static partial void Rejected(ILogger logger, string failure);

    /// <summary>Rate limits, outages, timeouts, broken streams: the caller may fall back.</summary>
    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "{Failure}")]
    public static partial void Failed(ILogger logger, string failure);

    [LoggerMessage(EventId = 3020, Level = LogLevel.Debug, Message = "Cohere {Operation} answered in {ElapsedMs} ms")]
    public static partial void Answered(ILogger logger, string operation, long elapsedMs);

    public static void Failure(ILogger logger, CohereException exception)
    {
        if (exception.Status is >= 400 and < 500 and not 429)
        {
            Rejected(logger, exception.Message);
        }
        else
        {
            Failed(logger, exception.Message);
        }
    }
}
