namespace RagFunctions.Retrieval.VectorStore.Qdrant;

/// <summary>What a health check learns from one cheap authenticated call.</summary>
/// <param name="Ok">Reachable, the key accepted and the collection present.</param>
/// <param name="Error">Why not, in operator words (never the key); null when <paramref name="Ok"/>.</param>
/// <param name="Latency">Round-trip time of the call (or until it failed).</param>
internal sealed record StoreProbe(bool Ok, string? Error, TimeSpan Latency);
