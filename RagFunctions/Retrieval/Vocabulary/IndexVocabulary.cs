using RagFunctions.Retrieval.Text;
using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Retrieval.Vocabulary;

/// <summary>
/// The words of the indexed book, for correcting misspelt questions: built from every chunk's text the first time
/// it is needed and again whenever the index changes (<see cref="BookCatalog.IndexVersionAsync"/>), so the
/// corrections always come from the book being searched.
/// </summary>
internal sealed class IndexVocabulary(IVectorStore store, BookCatalog catalog)
{
    private readonly SemaphoreSlim building = new(1, 1);
    private (string Version, SpellingCorrector Corrector)? current;

    public async Task<SpellingCorrector> GetAsync(CancellationToken cancellationToken)
    {
        var version = await catalog.IndexVersionAsync(cancellationToken);
        if (current is { } known && known.Version == version)
        {
            return known.Corrector;
        }

        await building.WaitAsync(cancellationToken);
        try
        {
            if (current is { } built && built.Version == version)
            {
                return built.Corrector;
            }

            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var page in await catalog.GetPagesAsync(cancellationToken))
            {
                foreach (var chunk in await store.GetPageAsync(page.PageUrl, cancellationToken))
                {
                    foreach (var token in TextAnalyzer.Words(chunk.Text))
                    {
                        counts[token] = counts.GetValueOrDefault(token) + 1;
                    }
                }
            }

            var corrector = counts.Count == 0 ? SpellingCorrector.Empty : new SpellingCorrector(counts, EnglishWords.All);
            current = (version, corrector);
            return corrector;
        }
        finally
        {
            building.Release();
        }
    }

    /// <summary>The question with its misspelt words corrected against the book.</summary>
    public async Task<string> CorrectAsync(string text, CancellationToken cancellationToken)
        => (await GetAsync(cancellationToken)).CorrectText(text);
}
