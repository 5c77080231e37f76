using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Chat;

/// <summary>
/// Decides, before any language model is called, whether the book holds evidence for a question. The evidence
/// score is the nearest section's cosine similarity plus a small bonus for the share of the question's content
/// words that one of the top sections contains: meaning alone does not separate "in the book" from
/// "about something else" for a small embedding model, and words alone miss paraphrases.
/// </summary>
internal static class EvidenceGate
{
    /// <summary>Weight of word coverage in the score (fitted with the threshold on the sample book's question set).</summary>
    public const double CoverageWeight = 0.12;

    public static double Score(string question, IReadOnlyList<SearchHit> hits)
    {
        if (hits.Count == 0)
        {
            return 0;
        }

        var top = hits.Take(3).ToArray();
        var relevance = top.Max(h => h.DenseScore ?? 0);
        var terms = TextTerms.Terms(question).ToHashSet(StringComparer.Ordinal);
        var coverage = terms.Count == 0 ? 0 : top.Max(h => Coverage(terms, h.Chunk.Text));
        return relevance + CoverageWeight * coverage;
    }

    public static bool HasEvidence(string question, IReadOnlyList<SearchHit> hits, ChatSettings settings)
        => Score(question, hits) >= settings.EvidenceThreshold;

    public static double Coverage(IReadOnlySet<string> terms, string text)
    {
        var present = TextTerms.Terms(text).ToHashSet(StringComparer.Ordinal);
        return terms.Count(present.Contains) / (double)terms.Count;
    }
}
