namespace RagFunctions.Hosting;

/// <summary>
/// A store, a budget or a provider failed in a way the caller should hear about: the status to answer with, a title
/// and a detail safe for any reader, and how long to wait when that is known. The middleware of both hosts turns it
/// into ProblemDetails (with <c>Retry-After</c>), whichever function it came from. The message may say more (a path,
/// a host, a model): it goes to the log, and to the operator on admin routes; like every message of ours it never
/// carries a secret.
/// </summary>
internal abstract class ServiceFailureException(
    int statusCode, string title, string detail, string message, Exception? innerException = null, TimeSpan? retryAfter = null)
    : Exception(message, innerException)
{
    /// <summary>The HTTP status the caller gets.</summary>
    public int StatusCode { get; } = statusCode;

    public string Title { get; } = title;

    /// <summary>A sentence a reader can act on; safe for any caller.</summary>
    public string Detail { get; } = detail;

    /// <summary>When known, how long until trying again makes sense (sent as <c>Retry-After</c>).</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>
/// A language-model provider (Cohere, an OpenAI-compatible server) failed after its retries: busy (429, with the wait
/// when it said) or unavailable (503: an error status, a timeout, a broken connection or answer).
/// </summary>
internal class ProviderFailureException(bool busy, string message, Exception? innerException = null, TimeSpan? retryAfter = null)
    : ServiceFailureException(
        busy ? 429 : 503,
        busy ? "Language model busy" : "Language model unavailable",
        busy
            ? "The language model is receiving too many requests right now. Please wait a minute and try again."
            : "The language model did not answer properly. Please try again in a few minutes.",
        message,
        innerException,
        retryAfter);
