using RagFunctions.Hosting;
using RagFunctions.Retrieval;
using RagFunctions.Retrieval.VectorStore;
using RagFunctions.Translation;

namespace RagFunctions.Chat;

/// <summary>A section of the book in its Urdu translation, and how well it matched the question.</summary>
/// <param name="English">The indexed (English) chunk: what the answer cites.</param>
/// <param name="Urdu">The chunk with its text replaced by the stored Urdu translation: what the answer quotes.</param>
internal sealed record TranslatedMatch(BookChunk English, BookChunk Urdu, double Coverage);

/// <summary>What the Urdu translation of the book holds for a question, when there is one.</summary>
/// <param name="BookTranslated">False when no section of the book has a stored Urdu translation.</param>
internal sealed record TranslatedSearchResult(bool BookTranslated, IReadOnlyList<TranslatedMatch> Matches);

/// <summary>
/// Answers Urdu questions without a language model when the book has been pre-translated (<c>translate --all --lang ur</c>
/// or <c>POST /manage/translate</c>): the stored Urdu translation of each chunk (<see cref="StoredTranslations"/>) is
/// matched against the question's Urdu words, rarer words counting more. Rebuilt when the index changes and at most once a minute otherwise, so a
/// pre-translation that finishes is picked up.
/// </summary>
internal sealed class TranslatedBookSearch(StoredTranslations translations, BookCatalog catalog, TimeProvider clock)
{
    /// <summary>The share of the question's (weighted) words a section must hold to count as evidence.</summary>
    public const double MinCoverage = 0.5;

    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);
    private readonly CachedValue<Snapshot> snapshot = new();

    public async Task<TranslatedSearchResult> SearchAsync(string question, int limit, CancellationToken cancellationToken)
    {
        var snapshot = await GetAsync(cancellationToken);
        if (snapshot.Sections.Count == 0)
        {
            return new TranslatedSearchResult(false, []);
        }

        var terms = QuestionLanguage.UrduTerms(question).ToHashSet(StringComparer.Ordinal);
        if (terms.Count == 0)
        {
            return new TranslatedSearchResult(true, []);
        }

        // Inverse document frequency over the translated sections: a word every section has tells nothing.
        var weights = terms.ToDictionary(
            t => t,
            t => Math.Log(1 + (snapshot.Sections.Count + 1.0) / (1 + snapshot.Sections.Count(s => s.Terms.Contains(t)))),
            StringComparer.Ordinal);
        var total = weights.Values.Sum();
        var matches = snapshot.Sections
            .Select(s => (Section: s, Coverage: terms.Where(s.Terms.Contains).Sum(t => weights[t]) / total))
            .Where(m => m.Coverage >= MinCoverage)
            .OrderByDescending(m => m.Coverage)
            .DistinctBy(m => m.Section.English.Id)
            .Take(limit)
            .Select(m => new TranslatedMatch(m.Section.English, m.Section.Urdu, m.Coverage))
            .ToArray();
        return new TranslatedSearchResult(true, matches);
    }

    private async Task<Snapshot> GetAsync(CancellationToken cancellationToken)
    {
        var version = await catalog.IndexVersionAsync(cancellationToken);
        return await snapshot.GetAsync(
            kept => kept.Version == version && clock.GetUtcNow() - kept.TakenAt < Lifetime, ct => BuildAsync(version, ct), cancellationToken);
    }

    private async Task<Snapshot> BuildAsync(string version, CancellationToken cancellationToken)
    {
        var sections = new List<Section>();
        foreach (var (chunk, markdown) in await translations.ByChunkAsync(TargetLanguage.Urdu, cancellationToken))
        {
            var text = OneSentencePerLine(TranslationPlainText.FromMarkdown(markdown));
            sections.Add(new Section(chunk, chunk with { Text = text }, QuestionLanguage.UrduTerms(text).ToHashSet(StringComparer.Ordinal)));
        }

        return new Snapshot(version, sections, clock.GetUtcNow());
    }

    /// <summary>The Urdu full stop ends a sentence: one sentence a line, as the extractive answerer reads lines.</summary>
    private static string OneSentencePerLine(string text) => text.Replace("۔ ", "۔\n", StringComparison.Ordinal);

    private sealed record Section(BookChunk English, BookChunk Urdu, HashSet<string> Terms);

    private sealed record Snapshot(string Version, IReadOnlyList<Section> Sections, DateTimeOffset TakenAt);
}
