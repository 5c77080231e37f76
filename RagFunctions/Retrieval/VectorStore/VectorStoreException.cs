using RagFunctions.Hosting;

namespace RagFunctions.Retrieval.VectorStore;

/// <summary>
/// The store failed in a way the operator can act on (index locked, disk full, file unreadable, server unreachable).
/// The message says where and what to do; it carries no secrets, so it can be logged as is.
/// </summary>
internal sealed class VectorStoreException(string message, Exception? inner = null)
    : ServiceFailureException(503, "Book index unavailable", UnavailableDetail, message, inner)
{
    /// <summary>What a reader is told; the message, with the cause and the fix, is for the log and the operator.</summary>
    public const string UnavailableDetail = "The book index is unavailable right now. Please try again in a moment.";
}
