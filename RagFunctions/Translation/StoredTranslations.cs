using Microsoft.Extensions.Options;
using RagFunctions.Retrieval;
using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Translation;

/// <summary>A chunk of the index and the stored translation of the sections that start in it, as Markdown in page order.</summary>
internal sealed record TranslatedChunk(BookChunk Chunk, string Markdown);

/// <summary>
/// The book's stored translations, chunk by chunk: each page is cut into sections as <see cref="TranslationService"/>
/// cuts it, each section is looked up by its hash (whatever model translated it), and each translated section belongs
/// to the chunk it starts in. The one place outside the translator that knows how sections are cut and keyed.
/// </summary>
internal sealed class StoredTranslations(ITranslationCache translations, IVectorStore store, BookCatalog catalog, IOptions<TranslationOptions> options)
{
    /// <summary>Every indexed chunk with a stored translation into <paramref name="language"/>; empty when none is stored.</summary>
    public async Task<IReadOnlyList<TranslatedChunk>> ByChunkAsync(TargetLanguage language, CancellationToken cancellationToken)
    {
        var stored = (await translations.ListAsync(language.Code, cancellationToken))
            .GroupBy(t => t.ContentHash, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Translation, StringComparer.Ordinal);
        var result = new List<TranslatedChunk>();
        if (stored.Count == 0)
        {
            return result;
        }

        foreach (var page in await catalog.GetPagesAsync(cancellationToken))
        {
            var markdown = TranslationService.PageMarkdown(await store.GetPageAsync(page.PageUrl, cancellationToken), out var starts);
            var split = TranslationSections.Split(markdown, options.Value.SectionChars);
            var byChunk = new Dictionary<string, (BookChunk Chunk, List<string> Parts)>(StringComparer.Ordinal);
            var offset = split.Gaps[0].Length;
            for (var i = 0; i < split.Sections.Count; i++)
            {
                var section = split.Sections[i];
                if (stored.GetValueOrDefault(TranslationKey.HashOf(section)) is { } translated && starts.LastOrDefault(s => s.Start <= offset).Chunk is { } chunk)
                {
                    (byChunk.TryGetValue(chunk.Id, out var known) ? known : byChunk[chunk.Id] = (chunk, [])).Parts.Add(translated);
                }

                offset += section.Length + split.Gaps[i + 1].Length;
            }

            result.AddRange(byChunk.Values.Select(c => new TranslatedChunk(c.Chunk, string.Join("\n\n", c.Parts))));
        }

        return result;
    }
}
