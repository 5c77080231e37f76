namespace RagFunctions.Retrieval.VectorStore;

/// <summary>
/// The store failed in a way the operator can act on (index locked, disk full, file unreadable, server unreachable).
/// The message says where and what to do; it carries no secrets, so it can be logged as is.
/// </summary>
internal sealed class VectorStoreException(string message, Exception? inner = null) : Exception(message, inner);
