using System.Diagnostics;
using RagFunctions.Retrieval;
using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Chat;

/// <summary>The evidence for one question, found before anything is generated.</summary>
internal sealed record PreparedQuestion(
    ChatQuery Query,
    string Standalone,
    CatalogPage? Page,
    IReadOnlyList<SearchHit> Hits,
    BookChunk? Selection,
    bool HasEvidence,
    Stopwatch Watch)
{
    /// <summary>The question's language, and the answer's.</summary>
    public QuestionLanguage Language { get; init; } = QuestionLanguage.English;

    /// <summary>The evidence gate's verdict; <see cref="Evidence.Borderline"/> lets the language model decide.</summary>
    public Evidence Evidence { get; init; } = HasEvidence ? Evidence.Clear : Evidence.None;

    /// <summary>What the evidence gate measured (nothing for a question searched in the Urdu translation).</summary>
    public EvidenceSignals Signals { get; init; } = EvidenceSignals.Nothing;

    public double EvidenceScore => Signals.Score;

    /// <summary>Set for an Urdu question searched in the book's Urdu translation (no language model to rewrite it).</summary>
    public TranslatedSearchResult? Translated { get; init; }

    /// <summary>
    /// Set for an Urdu-script question searched by its English loanwords (no English rewrite): the book words found,
    /// empty when none matched.
    /// </summary>
    public IReadOnlyList<string>? Loanwords { get; init; }

    /// <summary>
    /// The passages an answer draws on: the best hit of each section, at most <see cref="ChatQuery.TopK"/>; quizzes,
    /// exercises and reading lists (which repeat a topic's words but never answer) only when nothing else is found.
    /// </summary>
    public BookChunk[] Passages()
        => Hits.Select(h => h.Chunk).DistinctBy(c => c.Url).OrderBy(PassageUnits.IsNoiseSection).Take(Math.Max(Query.TopK, 1)).ToArray();
}
