namespace RagFunctions.Retrieval;

/// <summary>
/// Reciprocal rank fusion: an item's fused score is the sum over the rankings it appears in of
/// weight / (<see cref="K"/> + its 1-based rank), so agreeing lists lift an item and no list's own score scale matters.
/// The embedded store fuses dense and keyword results with it, the retriever the whole book's with the reader's page.
/// (Qdrant fuses its hybrid results itself, server-side.)
/// </summary>
internal static class RankFusion
{
    /// <summary>The usual constant (Cormack et al.): a first place scores 1/61, a tenth 1/70.</summary>
    public const int K = 60;

    /// <summary>
    /// The items of all <paramref name="rankings"/> (best first in each), one per key (the first seen), with their fused
    /// scores, best first; ties keep the order in which items were first seen.
    /// </summary>
    public static IReadOnlyList<(T Item, double Score)> Fuse<T, TKey>(Func<T, TKey> key, params ReadOnlySpan<(IReadOnlyList<T> Ranking, double Weight)> rankings)
        where TKey : notnull
    {
        var fused = new Dictionary<TKey, (T Item, double Score, int Seen)>();
        foreach (var (ranking, weight) in rankings)
        {
            for (var rank = 0; rank < ranking.Count; rank++)
            {
                var id = key(ranking[rank]);
                var score = weight / (K + rank + 1);
                fused[id] = fused.TryGetValue(id, out var seen) ? seen with { Score = seen.Score + score } : (ranking[rank], score, fused.Count);
            }
        }

        return fused.Values.OrderByDescending(f => f.Score).ThenBy(f => f.Seen).Select(f => (f.Item, f.Score)).ToArray();
    }
}
