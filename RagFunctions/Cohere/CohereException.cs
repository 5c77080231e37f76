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

    public CohereException(int? status, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Status = status;
    }

    /// <summary>The HTTP status Cohere answered with; null for timeouts, transport errors and broken streams.</summary>
    public int? Status { get; }
}
