namespace RagFunctions.Retrieval.VectorStore;

/// <summary>What a health check learns from one cheap call to the store (<see cref="IVectorStore.ProbeAsync"/>).</summary>
/// <param name="Ok">Reachable, the key (if any) accepted and the index's collection or file there.</param>
/// <param name="Error">Why not, in operator words (never a key); null when <paramref name="Ok"/>.</param>
/// <param name="Latency">Round-trip time of the call (or until it failed).</param>
internal sealed record StoreProbe(bool Ok, string? Error, TimeSpan Latency);
