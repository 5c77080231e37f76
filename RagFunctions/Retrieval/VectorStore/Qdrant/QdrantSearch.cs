using System.Numerics.Tensors;
using Google.Protobuf.Collections;
using Qdrant.Client.Grpc;
using static RagFunctions.Retrieval.VectorStore.Qdrant.QdrantPoints;

namespace RagFunctions.Retrieval.VectorStore.Qdrant;

/// <summary>The book collection's dense, keyword and hybrid queries (see <see cref="QdrantVectorStore.SearchAsync"/>).</summary>
internal static class QdrantSearch
{
    /// <summary>Hybrid fetches max(limit × 4, 40) candidates from each side before fusing, like the embedded store.</summary>
    public const ulong CandidatesPerHit = 4;
    public const ulong MinCandidates = 40;

    public static async Task<IReadOnlyList<SearchHit>> DenseAsync(
        QdrantCollection collection, SearchRequest request, Filter? filter, ulong limit, CancellationToken cancellationToken)
    {
        var points = await collection.CallAsync(
            "query",
            ct => collection.Client.QueryAsync(collection.Name, query: request.Vector.ToArray(), usingVector: DenseVectorName, filter: filter, limit: limit,
                payloadSelector: true, vectorsSelector: new WithVectorsSelector { Enable = false }, cancellationToken: ct),
            cancellationToken);
        return points.Select(p => new SearchHit(ToChunk(p.Id, p.Payload), p.Score, p.Score)).ToArray();
    }

    public static async Task<IReadOnlyList<SearchHit>> KeywordAsync(
        QdrantCollection collection, SearchRequest request, Filter? filter, ulong limit, CancellationToken cancellationToken)
    {
        var terms = Bm25SparseEncoder.EncodeQuery(request.Text);
        if (terms.IsEmpty)
        {
            return [];
        }

        var points = await collection.CallAsync(
            "query",
            ct => collection.Client.QueryAsync(collection.Name, query: SparseQuery(terms), usingVector: SparseVectorName, filter: filter, limit: limit,
                payloadSelector: true, vectorsSelector: DenseVectorsIf(!request.Vector.IsEmpty), cancellationToken: ct),
            cancellationToken);
        return points.Select(p => new SearchHit(ToChunk(p.Id, p.Payload), p.Score, Cosine(request.Vector, p))).ToArray();
    }

    public static async Task<IReadOnlyList<SearchHit>> HybridAsync(
        QdrantCollection collection, SearchRequest request, Filter? filter, ulong limit, CancellationToken cancellationToken)
    {
        var candidates = Math.Max(limit * CandidatesPerHit, MinCandidates);
        var prefetch = new List<PrefetchQuery> { new() { Query = request.Vector.ToArray(), Using = DenseVectorName, Limit = candidates } };
        var terms = Bm25SparseEncoder.EncodeQuery(request.Text);
        if (!terms.IsEmpty)
        {
            prefetch.Add(new PrefetchQuery { Query = SparseQuery(terms), Using = SparseVectorName, Limit = candidates });
        }

        var points = await collection.CallAsync(
            "query",
            ct => collection.Client.QueryAsync(collection.Name, query: Fusion.Rrf, prefetch: prefetch, filter: filter, limit: limit,
                payloadSelector: true, vectorsSelector: DenseVectorsIf(true), cancellationToken: ct),
            cancellationToken);
        return points.Select(p => new SearchHit(ToChunk(p.Id, p.Payload), p.Score, Cosine(request.Vector, p))).ToArray();
    }

    /// <summary>The hit's dense vector comes back with it (a few KB for a handful of hits), so its cosine is computed here.</summary>
    private static WithVectorsSelector DenseVectorsIf(bool wanted)
        => wanted ? new WithVectorsSelector { Include = new VectorsSelector { Names = { DenseVectorName } } } : new WithVectorsSelector { Enable = false };

    private static double? Cosine(ReadOnlyMemory<float> query, ScoredPoint point)
    {
        if (query.IsEmpty || point.Vectors?.Vectors?.Vectors.TryGetValue(DenseVectorName, out var output) != true)
        {
            return null;
        }

        var stored = output!.VectorCase == VectorOutput.VectorOneofCase.Dense ? output.Dense.Data : LegacyData(output);
        if (stored.Count != query.Length)
        {
            return null;
        }

        // NaN when either vector is all zeros: no direction, so no similarity.
        var cosine = TensorPrimitives.CosineSimilarity(query.Span, [.. stored]);
        return float.IsNaN(cosine) ? 0 : cosine;
    }

    /// <summary>Servers before 1.10 answer with the deprecated <c>data</c> field only.</summary>
#pragma warning disable CS0612
    private static RepeatedField<float> LegacyData(VectorOutput output) => output.Data;
#pragma warning restore CS0612

    private static Query SparseQuery(SparseTerms terms)
        => new() { Nearest = new VectorInput { Sparse = new global::Qdrant.Client.Grpc.SparseVector { Indices = { terms.Indices }, Values = { terms.Values } } } };
}
