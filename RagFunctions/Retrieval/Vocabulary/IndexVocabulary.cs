using System.Text.RegularExpressions;
using RagFunctions.Hosting;
using RagFunctions.Retrieval.Text;
using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Retrieval.Vocabulary;

/// <summary>
/// The words of the indexed book, for correcting misspelt questions: built from every chunk's text the first time
/// it is needed and again whenever the index changes (<see cref="BookCatalog.IndexVersionAsync"/>), so the
/// corrections always come from the book being searched.
/// </summary>
internal sealed partial class IndexVocabulary(IVectorStore store, BookCatalog catalog)
{
    private readonly CachedValue<Built> built = new();

    public async Task<SpellingCorrector> GetAsync(CancellationToken cancellationToken)
    {
        var version = await catalog.IndexVersionAsync(cancellationToken);
        return (await built.GetAsync(kept => kept.Version == version, ct => BuildAsync(version, ct), cancellationToken)).Corrector;
    }

    /// <summary>The question with its misspelt words corrected against the book.</summary>
    public async Task<string> CorrectAsync(string text, CancellationToken cancellationToken)
        => (await GetAsync(cancellationToken)).CorrectText(text);

    private async Task<Built> BuildAsync(string version, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        foreach (var page in await catalog.GetPagesAsync(cancellationToken))
        {
            foreach (var chunk in await store.GetPageAsync(page.PageUrl, cancellationToken))
            {
                foreach (var token in TextAnalyzer.Words(chunk.Text))
                {
                    counts[token] = counts.GetValueOrDefault(token) + 1;
                }

                foreach (Match flag in LongFlag().Matches(chunk.Text))
                {
                    flags.Add(flag.Value.ToLowerInvariant());
                }
            }
        }

        var corrector = counts.Count == 0 ? SpellingCorrector.Empty : new SpellingCorrector(counts, EnglishWords.All, flags);
        return new Built(version, corrector);
    }

    private sealed record Built(string Version, SpellingCorrector Corrector);

    /// <summary>A long command-line flag: "--bail" in "--bail[=<n>]", "--experimental-vm-modules".</summary>
    [GeneratedRegex(@"(?<![\w-])--[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*")]
    private static partial Regex LongFlag();
}
