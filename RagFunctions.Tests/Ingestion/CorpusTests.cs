using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using RagFunctions.Ingestion;
using RagFunctions.Retrieval.VectorStore;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Ingestion;

/// <summary>The reader and the chunker on the two real books in ../shared/corpora.</summary>
public sealed partial class CorpusTests
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<(IReadOnlyList<BookPage> Pages, IReadOnlyList<BookChunk> Chunks)>>> Books = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Each book is read and chunked once for the tests of this class.</summary>
    private static Task<(IReadOnlyList<BookPage> Pages, IReadOnlyList<BookChunk> Chunks)> ReadAsync(string corpus) =>
        Books.GetOrAdd(corpus, c => new Lazy<Task<(IReadOnlyList<BookPage>, IReadOnlyList<BookChunk>)>>(() => ReadFreshAsync(c))).Value;

    private static async Task<(IReadOnlyList<BookPage> Pages, IReadOnlyList<BookChunk> Chunks)> ReadFreshAsync(string corpus)
    {
        var reader = new MarkdownBookReader(new DocusaurusSite(Corpora.BaseUrl(corpus)), NullLogger<MarkdownBookReader>.Instance);
        var pages = await reader.ReadAsync(Corpora.Docs(corpus), CancellationToken.None);
        var chunker = new Chunker();
        return (pages, pages.SelectMany(page => chunker.Chunk(page, ChunkingOptions.Default)).ToList());
    }

    [Theory]
    [InlineData(Corpora.A, 44)]
    [InlineData(Corpora.B, 41)]
    public async Task Read_EveryPage_HasAUniqueUrlUnderTheDocsRoute(string corpus, int expectedPages)
    {
        var (pages, _) = await ReadAsync(corpus);

        Assert.Equal(expectedPages, pages.Count);
        Assert.All(pages, p => Assert.StartsWith(Corpora.BaseUrl(corpus) + "docs", p.PageUrl));
        Assert.All(pages, p => Assert.False(p.PageUrl.EndsWith('/'), p.PageUrl));
        Assert.Equal(pages.Count, pages.Select(p => p.PageUrl).Distinct().Count());
    }

    [Theory]
    [InlineData(Corpora.A)]
    [InlineData(Corpora.B)]
    public async Task Read_Urls_HaveNoNumberPrefixes(string corpus)
    {
        var (pages, _) = await ReadAsync(corpus);

        Assert.All(pages, p => Assert.All(
            p.RoutePath.Split('/', StringSplitOptions.RemoveEmptyEntries),
            segment => Assert.Null(DocusaurusRoutes.ParseNumberPrefix(segment).Number)));
    }

    [Theory]
    [InlineData(Corpora.A)]
    [InlineData(Corpora.B)]
    public async Task Read_Anchors_AreUniqueOnEveryPage(string corpus)
    {
        var (pages, _) = await ReadAsync(corpus);

        Assert.All(pages, p => Assert.Equal(p.Sections.Count, p.Sections.Select(s => s.Anchor).Distinct().Count()));
        Assert.All(pages, p => Assert.All(p.Sections.Where(s => s.Anchor.Length > 0), s => Assert.Matches("^[^\\s#?]+$", s.Anchor)));
    }

    [Theory]
    [InlineData(Corpora.A)]
    [InlineData(Corpora.B)]
    public async Task Read_SectionMarkdown_ConcatenatesToTheSourceBody(string corpus)
    {
        var (pages, chunks) = await ReadAsync(corpus);

        foreach (var page in pages)
        {
            var source = await File.ReadAllTextAsync(Path.Combine(Corpora.Docs(corpus), page.SourcePath), Cancel);
            Assert.Equal(ExpectedBody(source), string.Concat(page.Sections.Select(s => s.Markdown)));
            Assert.Equal(
                string.Concat(page.Sections.Select(s => s.Markdown)),
                string.Concat(chunks.Where(c => c.PageUrl == page.PageUrl).Select(c => c.Markdown)));
        }
    }

    [Theory]
    [InlineData(Corpora.A)]
    [InlineData(Corpora.B)]
    public async Task Chunk_EveryPageWithTextHasChunksWithinBudgetAndNoneEmpty(string corpus)
    {
        var (pages, chunks) = await ReadAsync(corpus);
        var options = ChunkingOptions.Default;

        Assert.All(pages.Where(p => p.Sections.Any(s => s.Text.Length > 0)), p => Assert.Contains(chunks, c => c.PageUrl == p.PageUrl));
        Assert.All(chunks, c => Assert.InRange(Chunker.EstimateTokens(c.Text), 1, options.MaxTokens + options.OverlapTokens));
        Assert.All(chunks, c =>
        {
            var pathLine = BookChunk.PathLine(c.TitlePath);
            Assert.StartsWith(pathLine + "\n\n", c.Text);
            Assert.Contains(c.Text[(pathLine.Length + 2)..], ch => char.IsLetterOrDigit(ch));
        });
        Assert.Equal(chunks.Count, chunks.Select(c => c.Id).Distinct().Count());
        Assert.All(chunks.GroupBy(c => c.PageUrl), page => Assert.Equal(Enumerable.Range(0, page.Count()), page.Select(c => c.Position)));
        Assert.InRange(chunks.Count, pages.Count, pages.Count * 60);
    }

    [Theory]
    [InlineData(Corpora.A)]
    [InlineData(Corpora.B)]
    public async Task ReadAndChunk_Twice_GiveTheSameIdsAndHashes(string corpus)
    {
        var (_, first) = await ReadAsync(corpus);
        var (_, second) = await ReadFreshAsync(corpus);

        Assert.Equal(first.Select(c => (c.Id, c.ContentHash)), second.Select(c => (c.Id, c.ContentHash)));
    }

    [Fact]
    public async Task Read_CorpusA_IndexPageMapsToItsFolderAndEntitiesAreDecoded()
    {
        var (pages, chunks) = await ReadAsync(Corpora.A);

        var intro = Assert.Single(pages, p => p.SourcePath == "intro/index.md");
        Assert.Equal("https://mohsin-raza-developer.github.io/Physical-AI-Humanoid-Robotics-Textbook/docs/intro", intro.PageUrl);
        Assert.Contains(chunks, c => c.Text.Contains("Navigation success rate: >85%", StringComparison.Ordinal));
        Assert.DoesNotContain(chunks, c => c.Text.Contains("&gt;", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Read_CorpusB_IntroIsTheDocsRootAndTheTemplateIsNoPage()
    {
        var (pages, _) = await ReadAsync(Corpora.B);

        var intro = Assert.Single(pages, p => p.SourcePath == "intro.md");
        Assert.Equal(("/", "https://physical-ai-robotics.dev/docs"), (intro.RoutePath, intro.PageUrl));
        Assert.DoesNotContain(pages, p => p.SourcePath.Contains("_mdx-template", StringComparison.Ordinal));
        Assert.Contains(pages, p => p.PageUrl == "https://physical-ai-robotics.dev/docs/introduction/INTRODUCTION");
        Assert.Contains(pages, p => p.PageUrl == "https://physical-ai-robotics.dev/docs/module-03-ai-robot-brain/chapter-07-isaac-sim-sdk/assets");
    }

    [Fact]
    public async Task Chunk_CorpusB_FactsInJsxPropsAreSearchable()
    {
        var (_, chunks) = await ReadAsync(Corpora.B);

        var isaac = chunks.Where(c => c.PageUrl.EndsWith("/page-20-setting-up-isaac-sdk", StringComparison.Ordinal)).ToList();
        var gpu = Assert.Single(isaac, c => c.Text.Contains("NVIDIA RTX 4070 Ti (12GB VRAM)", StringComparison.Ordinal));
        Assert.Equal("hardware-requirements", gpu.Anchor);
        Assert.Contains(isaac, c => c.Text.Contains("Optimal for humanoid robot training", StringComparison.Ordinal));
        Assert.Contains(isaac, c => c.Text.Contains("Code (python):\n#!/usr/bin/env python3", StringComparison.Ordinal));
        Assert.DoesNotContain(isaac, c => c.Text.Contains("import HardwareTable", StringComparison.Ordinal) || c.Markdown.Contains("import HardwareTable", StringComparison.Ordinal));
        Assert.DoesNotContain(isaac, c => c.Text.Contains("TODO: Add", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Read_CorpusB_EmojiHeadingsAndEscapedEntities()
    {
        var (pages, chunks) = await ReadAsync(Corpora.B);

        var intro = Assert.Single(pages, p => p.SourcePath == "intro.md");
        Assert.Contains(intro.Sections, s => s is { Heading: "🎯 Course Overview", Anchor: "-course-overview" });
        Assert.Contains(chunks, c => c.Text.Contains("< 2s load time", StringComparison.Ordinal));
        Assert.DoesNotContain(chunks, c => c.Text.Contains("&lt;", StringComparison.Ordinal));
    }

    [Fact]
    public void Docs_MissingCorpus_FailsWithThePathItLookedAt()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Corpora.Docs("no-such-corpus"));

        Assert.Contains(Path.Combine("shared", "corpora", "no-such-corpus", "docs"), error.Message);
    }

    /// <summary>The file without front matter and MDX component imports, from its first line with content.</summary>
    private static string ExpectedBody(string source)
    {
        var text = source.ReplaceLineEndings("\n");
        if (text.StartsWith("---\n", StringComparison.Ordinal))
        {
            text = text[(text.IndexOf("\n---\n", 3, StringComparison.Ordinal) + 5)..];
        }

        var lines = text.Split('\n').Where(line => !ComponentImport().IsMatch(line)).SkipWhile(string.IsNullOrWhiteSpace);
        return string.Join('\n', lines);
    }

    [GeneratedRegex("^import \\w+ from '[^']+';$")]
    private static partial Regex ComponentImport();
}
