using RagFunctions.Hosting;

namespace RagFunctions.Cohere;

/// <summary>
/// A Cohere call that failed after retries. The message is safe to log and to show an operator:
/// it names the status and a short reason, never the key, the prompt or the book text.
/// A 429 is the provider being busy; anything else, the provider being unavailable.
/// </summary>
internal sealed class CohereException : ProviderFailureException
{
    public CohereException(string message)
        : this(null, message)
    {
    }

    /// <param name="retryAfter">How long Cohere asked us to wait (429 with <c>Retry-After</c> or <c>retry-after-ms</c>); null when it did not say.</param>
    public CohereException(int? status, string message, Exception? innerException = null, TimeSpan? retryAfter = null)
        : base(busy: status == 429, message, innerException, retryAfter)
    {
        Status = status;
    }

    /// <summary>The HTTP status Cohere answered with; null for timeouts, transport errors and broken streams.</summary>
    public int? Status { get; }
}
