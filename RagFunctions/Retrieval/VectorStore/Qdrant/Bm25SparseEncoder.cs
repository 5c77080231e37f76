using System.Text;
using RagFunctions.Retrieval.Text;

namespace RagFunctions.Retrieval.VectorStore.Qdrant;

/// <summary>
/// BM25 term weights computed here, for Qdrant's sparse vector <c>bm25</c> (created with <c>Modifier.Idf</c>).
/// </summary>
/// <remarks>
/// Why client-side: server-side <c>Document { Model = "qdrant/bm25" }</c> needs Qdrant ≥ 1.15.2, while sparse vectors
/// with <c>Modifier.Idf</c> work on any Qdrant ≥ 1.10, and one function used at upsert and at query can never drift.
/// <list type="bullet">
/// <item>Tokens: the text's content words as <see cref="TextAnalyzer"/> cuts them (letters and numbers of any script with
/// their combining marks, so Devanagari or Arabic words stay whole; NFKC, lower case; English and Urdu stop words out).</item>
/// <item>Document weight of a term: BM25's saturated term frequency
/// <c>tf·(k1+1) / (tf + k1·(1 − b + b·len/avgLen))</c> with k1 = 1.2, b = 0.75 and a fixed average length of 256 tokens
/// (Qdrant's own default), so a chunk's vector never depends on the rest of the index.</item>
/// <item>Query weight: 1 per distinct term. Qdrant multiplies by the term's IDF at query time (<c>Modifier.Idf</c>),
/// so score = Σ idf(t) · tfWeight(t, chunk), i.e. BM25.</item>
/// <item>Index of a term: 32-bit FNV-1a of its UTF-8 bytes, stable across processes and versions. Two terms that
/// collide share one dimension (their frequencies add up), which costs a little precision and nothing else.</item>
/// </list>
/// Changing any of this changes every stored vector: re-index after a change.
/// </remarks>
internal static class Bm25SparseEncoder
{
    public const double K1 = 1.2;
    public const double B = 0.75;
    public const double AverageLength = 256;

    /// <summary>A chunk's term weights (empty when the text has no indexable term).</summary>
    public static SparseTerms EncodeDocument(string text)
    {
        var tokens = Tokenize(text);
        if (tokens.Count == 0)
        {
            return SparseTerms.Empty;
        }

        var frequencies = new SortedDictionary<uint, int>();
        foreach (var token in tokens)
        {
            var index = TermIndex(token);
            frequencies[index] = frequencies.GetValueOrDefault(index) + 1;
        }

        var norm = K1 * (1 - B + (B * tokens.Count / AverageLength));
        return new SparseTerms(
            [.. frequencies.Keys],
            [.. frequencies.Values.Select(tf => (float)(tf * (K1 + 1) / (tf + norm)))]);
    }

    /// <summary>A query's terms, each with weight 1 (the server supplies IDF).</summary>
    public static SparseTerms EncodeQuery(string text)
    {
        var indices = new SortedSet<uint>(Tokenize(text).Select(TermIndex));
        return indices.Count == 0 ? SparseTerms.Empty : new SparseTerms([.. indices], [.. indices.Select(_ => 1f)]);
    }

    /// <summary>The text's content words (<see cref="TextAnalyzer.ContentWords"/>), in text order.</summary>
    public static IReadOnlyList<string> Tokenize(string text) => [.. TextAnalyzer.ContentWords(text)];

    /// <summary>32-bit FNV-1a over the token's UTF-8 bytes.</summary>
    public static uint TermIndex(string token)
    {
        const uint offsetBasis = 2166136261;
        const uint prime = 16777619;
        var hash = offsetBasis;
        foreach (var b in Encoding.UTF8.GetBytes(token))
        {
            hash = unchecked((hash ^ b) * prime);
        }

        return hash;
    }
}

/// <summary>A sparse vector: ascending distinct indices and their weights.</summary>
internal sealed record SparseTerms(uint[] Indices, float[] Values)
{
    public static SparseTerms Empty { get; } = new([], []);

    public bool IsEmpty => Indices.Length == 0;
}
