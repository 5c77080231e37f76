using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Chat;

/// <summary>
/// Decides, before any language model is called, whether the book holds evidence for a question:
/// the nearest section must be close in meaning, or nearly as close and share most of the question's words.
/// </summary>
internal static class EvidenceGate
{
    public static bool HasEvidence(string question, IReadOnlyList<SearchHit> hits, ChatSettings settings)
    {
        if (hits.Count == 0)
        {
            return false;
        }

        var top = hits.Take(3).ToArray();
        var relevance = top.Max(h => h.DenseScore ?? 0);
        if (relevance >= settings.MinRelevance)
        {
            return true;
        }

        var terms = TextTerms.Terms(question).ToHashSet(StringComparer.Ordinal);
        if (terms.Count == 0)
        {
            return false;
        }

        var coverage = top.Max(h => Coverage(terms, h.Chunk.Text));
        return relevance >= settings.CoveredRelevance && coverage >= settings.MinCoverage;
    }

    public static double Coverage(IReadOnlySet<string> terms, string text)
    {
        var present = TextTerms.Terms(text).ToHashSet(StringComparer.Ordinal);
        return terms.Count(present.Contains) / (double)terms.Count;
    }
}
