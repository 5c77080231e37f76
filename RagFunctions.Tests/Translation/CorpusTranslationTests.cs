using Microsoft.Extensions.Logging.Abstractions;
using RagFunctions.Ingestion;
using RagFunctions.Tests.Fakes;
using RagFunctions.Tests.Support;
using RagFunctions.Translation;

namespace RagFunctions.Tests.Translation;

/// <summary>Every page of the two real books, indexed and translated the way <c>/translate</c> does it, with <see cref="FakeTranslator"/>.</summary>
public sealed class CorpusTranslationTests
{
    [Theory]
    [InlineData(Corpora.A, 260)]
    [InlineData(Corpora.B, 100)]
    public async Task Translate_EveryPage_KeepsEveryFencedBlockByteIdentical(string corpus, int atLeastBlocks)
    {
        var reader = new MarkdownBookReader(new DocusaurusSite(Corpora.BaseUrl(corpus)), NullLogger<MarkdownBookReader>.Instance);
        var pages = await reader.ReadAsync(Corpora.Docs(corpus), TestContext.Current.CancellationToken);
        var chunker = new Chunker();
        var protector = new MarkdownProtector(Glossary.Default);
        var sectionChars = new TranslationOptions().SectionChars;
        var blocks = 0;
        foreach (var page in pages)
        {
            var markdown = TranslationService.PageMarkdown(chunker.Chunk(page, ChunkingOptions.Default));
            var sections = TranslationSections.Split(markdown, sectionChars);
            var translated = sections.Join(sections.Sections.Select(section =>
            {
                var guarded = protector.Protect(section);
                return guarded.NeedsTranslation
                    ? MarkdownProtector.Restore(FakeTranslator.Translate(guarded.Text), guarded.Originals) ?? throw new InvalidOperationException(section)
                    : section;
            }).ToList());

            var expected = FencedBlocks.In(markdown);
            Assert.Equal(expected, FencedBlocks.In(translated));
            Assert.NotEqual(markdown, translated);
            blocks += expected.Count;
        }

        Assert.True(blocks >= atLeastBlocks, $"{blocks} fenced blocks in {corpus}");
    }
}
