using RagFunctions.Retrieval.Text;
using RagFunctions.Retrieval.VectorStore;
using RagFunctions.Retrieval.Vocabulary;

namespace RagFunctions.Chat;

/// <summary>How strongly the book supports answering a question.</summary>
internal enum Evidence
{
    /// <summary>Refuse: the book does not cover this.</summary>
    None,

    /// <summary>Just below the threshold: a language model reads the sections and answers or says the book does not cover it.</summary>
    Borderline,

    /// <summary>Answer.</summary>
    Clear,
}

/// <summary>
/// Decides, before any language model is called, whether the book holds evidence for a question (its misspellings
/// corrected against the book first). The evidence score is the nearest section's cosine similarity, plus a bonus for
/// the share of the question's content words that one of the top sections contains, minus a penalty for the share of
/// its words that the whole book never uses: meaning alone does not separate "in the book" from "about something
/// else" for a small embedding model ("How do I write a ROS 2 node in Rust?" is close to the sections on writing
/// nodes), and words alone miss paraphrases.
/// </summary>
/// <remarks>
/// The weights and the threshold (<see cref="ChatPipelineOptions.LocalEvidenceThreshold"/>) were chosen together on three
/// books (the sample book and two third-party books, see README), as the middle of the range that keeps false refusals
/// at or under 3 % and refuses at least 90 % of out-of-scope questions on every one of them.
/// </remarks>
internal static class EvidenceGate
{
    /// <summary>Weight of the top sections' coverage of the question's words.</summary>
    public const double CoverageWeight = 0.18;

    /// <summary>Weight of the share of the question's words that the book never uses.</summary>
    public const double UnknownWordWeight = 0.15;

    public static double Score(string question, IReadOnlyList<SearchHit> hits, SpellingCorrector vocabulary)
    {
        if (hits.Count == 0)
        {
            return 0;
        }

        var top = hits.Take(3).ToArray();
        var relevance = top.Max(h => h.DenseScore ?? 0);
        var terms = TextAnalyzer.Terms(question).ToHashSet(StringComparer.Ordinal);
        var coverage = terms.Count == 0 ? 0 : top.Max(h => Coverage(terms, h.Chunk.Text));
        return relevance + CoverageWeight * coverage - UnknownWordWeight * UnknownShare(question, vocabulary);
    }

    /// <param name="withModel">A language model can read the sections and decide when the score is borderline.</param>
    public static Evidence Judge(double score, ChatPipelineOptions settings, bool withModel)
        => score >= settings.EvidenceThreshold ? Evidence.Clear
            : withModel && score >= settings.EvidenceThreshold - settings.BorderlineMargin ? Evidence.Borderline
            : Evidence.None;

    public static double Coverage(IReadOnlySet<string> terms, string text)
    {
        var present = TextAnalyzer.Terms(text).ToHashSet(StringComparer.Ordinal);
        return terms.Count(present.Contains) / (double)terms.Count;
    }

    private const int MinWords = 3;

    /// <summary>The share of the question's content words that the book never uses (none, with an empty vocabulary).</summary>
    public static double UnknownShare(string question, SpellingCorrector vocabulary)
    {
        if (vocabulary.Words == 0)
        {
            return 0;
        }

        // Over at least three words: in a two-word question, one word the book never uses is weaker evidence against it.
        var words = TextAnalyzer.ContentWords(question).Where(w => w.Length > 1).Distinct(StringComparer.Ordinal).ToArray();
        return words.Count(w => !vocabulary.Knows(w)) / (double)Math.Max(words.Length, MinWords);
    }
}
