namespace RagFunctions.Retrieval.VectorStore;

/// <summary>
/// The store could not do what was asked (unreachable, rejected credentials, missing index, bad data).
/// The message names the cause in words an operator can act on and never carries a secret.
/// </summary>
internal sealed class VectorStoreException : Exception
{
    public VectorStoreException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
