using Microsoft.Extensions.Options;
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
/// or <c>POST /manage/translate</c>): the stored Urdu sections are matched to the chunks they translate (by the hash of
/// the section's Markdown, as the translation cache keys them), and the question's Urdu words are matched against
/// them, rarer words counting more. Rebuilt when the index changes and at most once a minute otherwise, so a
/// pre-translation that finishes is picked up.
/// </summary>
internal sealed class TranslatedBookSearch(
    ITranslationCache translations,
    IVectorStore store,
    BookCatalog catalog,
    IOptions<TranslationOptions> options,
    TimeProvider clock)
{
    /// <summary>The share of the question's (weighted) words a section must hold to count as evidence.</summary>
    public const double MinCoverage = 0.5;

    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim building = new(1, 1);
    private Snapshot? current;

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
        if (current is { } known && known.Version == version && clock.GetUtcNow() - known.TakenAt < Lifetime)
        {
            return known;
        }

        await building.WaitAsync(cancellationToken);
        try
        {
            if (current is { } built && built.Version == version && clock.GetUtcNow() - built.TakenAt < Lifetime)
            {
                return built;
            }

            current = await BuildAsync(version, cancellationToken);
            return current;
        }
        finally
        {
            building.Release();
        }
    }

    private async Task<Snapshot> BuildAsync(string version, CancellationToken cancellationToken)
    {
        var stored = (await translations.ListAsync(TargetLanguage.Urdu.Code, cancellationToken))
            .GroupBy(t => t.ContentHash, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Translation, StringComparer.Ordinal);
        var sections = new List<Section>();
        if (stored.Count > 0)
        {
            foreach (var page in await catalog.GetPagesAsync(cancellationToken))
            {
                // The same page text and split the translator used, so the hashes are the cache's; each translated
                // section belongs to the chunk it starts in.
                var markdown = TranslationService.PageMarkdown(await store.GetPageAsync(page.PageUrl, cancellationToken), out var starts);
                var split = TranslationSections.Split(markdown, options.Value.SectionChars);
                var byChunk = new Dictionary<string, (BookChunk Chunk, List<string> Parts)>(StringComparer.Ordinal);
                var offset = split.Gaps[0].Length;
                for (var i = 0; i < split.Sections.Count; i++)
                {
                    var section = split.Sections[i];
                    if (stored.GetValueOrDefault(TranslationKey.HashOf(section)) is { } urdu && starts.LastOrDefault(s => s.Start <= offset).Chunk is { } chunk)
                    {
                        (byChunk.TryGetValue(chunk.Id, out var known) ? known : byChunk[chunk.Id] = (chunk, [])).Parts.Add(urdu);
                    }

                    offset += section.Length + split.Gaps[i + 1].Length;
                }

                foreach (var (chunk, parts) in byChunk.Values)
                {
                    var text = OneSentencePerLine(TranslationPlainText.FromMarkdown(string.Join("\n\n", parts)));
                    sections.Add(new Section(chunk, chunk with { Text = text }, QuestionLanguage.UrduTerms(text).ToHashSet(StringComparer.Ordinal)));
                }
            }
        }

        return new Snapshot(version, sections, clock.GetUtcNow());
    }

    /// <summary>The Urdu full stop ends a sentence: one sentence a line, as the extractive answerer reads lines.</summary>
    private static string OneSentencePerLine(string text) => text.Replace("۔ ", "۔\n", StringComparison.Ordinal);

    private sealed record Section(BookChunk English, BookChunk Urdu, HashSet<string> Terms);

    private sealed record Snapshot(string Version, IReadOnlyList<Section> Sections, DateTimeOffset TakenAt);
}
