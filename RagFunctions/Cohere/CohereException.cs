namespace RagFunctions.Cohere;

/// <summary>
/// A Cohere call that failed after retries. The message is safe to log and to show an operator:
/// it names the status and a short reason, never the key, the prompt or the book text.
/// </summary>
internal sealed class CohereException : Exception
{
    public CohereException(string message)
        : this(null, message)
    {
    }

    public CohereException(int? status, string message, Exception? innerException = null, TimeSpan? retryAfter = null)
        : base(message, innerException)
    {
        Status = status;
        RetryAfter = retryAfter;
    }

    /// <summary>The HTTP status Cohere answered with; null for timeouts, transport errors and broken streams.</summary>
    public int? Status { get; }

    /// <summary>How long Cohere asked us to wait (429 with <c>Retry-After</c> or <c>retry-after-ms</c>); null when it did not say.</summary>
    public TimeSpan? RetryAfter { get; }
}
