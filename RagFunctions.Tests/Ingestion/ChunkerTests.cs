using Microsoft.Extensions.Logging.Abstractions;
using RagFunctions.Ingestion;

namespace RagFunctions.Tests.Ingestion;

public sealed class ChunkerTests
{
    private static readonly MarkdownBookReader Reader = new(new DocusaurusSite("https://book.dev/"), NullLogger<MarkdownBookReader>.Instance);
    private static readonly Chunker Chunker = new();
    private static readonly ChunkingOptions Small = new() { MaxTokens = 120, MinTokens = 20, OverlapTokens = 15 };

    private static BookPage Read(string source) => Reader.ReadPage("guide/topics.md", source);

    /// <summary>A paragraph of about <paramref name="words"/> words, recognisable by its number.</summary>
    private static string Paragraph(int number, int words = 30) =>
        $"Paragraph {number} " + string.Join(' ', Enumerable.Range(0, words).Select(i => $"word{number}x{i}")) + ".";

    private static string Body(BookPage page) => string.Concat(page.Sections.Select(s => s.Markdown));

    [Fact]
    public void Chunk_Sections_OneChunkEachWithTitlePathLineUrlAndPosition()
    {
        var page = Read($"# Topics\n\n{Paragraph(1)}\n\n## Quality of Service\n\n{Paragraph(2)}\n");

        var chunks = Chunker.Chunk(page, ChunkingOptions.Default);

        Assert.Collection(
            chunks,
            lead =>
            {
                Assert.Equal(("https://book.dev/docs/guide/topics", "", "Topics", 0), (lead.Url, lead.Anchor, lead.Heading, lead.Position));
                Assert.Equal($"Topics\n\n{Paragraph(1)}", lead.Text);
            },
            qos =>
            {
                Assert.Equal("https://book.dev/docs/guide/topics#quality-of-service", qos.Url);
                Assert.Equal(("quality-of-service", "Quality of Service", 1), (qos.Anchor, qos.Heading, qos.Position));
                Assert.Equal(["Topics", "Quality of Service"], qos.TitlePath);
                Assert.Equal($"Topics › Quality of Service\n\n{Paragraph(2)}", qos.Text);
                Assert.Equal($"## Quality of Service\n\n{Paragraph(2)}\n", qos.Markdown);
            });
        Assert.All(chunks, c => Assert.Equal(("https://book.dev/docs/guide/topics", "Topics"), (c.PageUrl, c.PageTitle)));
    }

    [Fact]
    public void ChunkId_IsTheNameBasedUuidOfPageAnchorAndPart()
    {
        Assert.Equal("98e8c6a7-49f3-53fb-981a-786b3d105011", Chunker.ChunkId("https://example.github.io/Book/docs/intro", "qos", 0));
    }

    [Fact]
    public void NameBasedUuid_MatchesTheRfc4122Version5Vector()
    {
        var dnsNamespace = new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8");

        Assert.Equal(new Guid("886313e1-3b8a-5372-9b90-0c9aee199e5d"), Chunker.NameBasedUuid(dnsNamespace, "python.org"));
    }

    [Fact]
    public void Chunk_LongSection_SplitsAtParagraphsWithinBudget()
    {
        var paragraphs = Enumerable.Range(1, 12).Select(n => Paragraph(n)).ToList();
        var page = Read("# Topics\n\n## Long\n\n" + string.Join("\n\n", paragraphs) + "\n");

        var chunks = Chunker.Chunk(page, Small);

        Assert.True(chunks.Count > 3);
        Assert.All(chunks, c => Assert.InRange(Chunker.EstimateTokens(c.Text), 1, Small.MaxTokens + Small.OverlapTokens));
        Assert.All(chunks.Skip(1), c => Assert.StartsWith("Paragraph", c.Markdown));
        Assert.All(paragraphs, p => Assert.Single(chunks, c => c.Markdown.Contains(p, StringComparison.Ordinal)));
        Assert.Equal(chunks.Select((c, i) => Chunker.ChunkId(page.PageUrl, "long", i)), chunks.Select(c => c.Id));
        Assert.All(chunks, c => Assert.Equal(("long", "https://book.dev/docs/guide/topics#long"), (c.Anchor, c.Url)));
    }

    [Fact]
    public void Chunk_ContinuedPart_RepeatsTheTailInTextButNotInMarkdown()
    {
        var page = Read("# Topics\n\n## Long\n\n" + string.Join("\n\n", Enumerable.Range(1, 6).Select(n => Paragraph(n))) + "\n");

        var chunks = Chunker.Chunk(page, Small);

        var first = chunks[0];
        var second = chunks[1];
        var tail = second.Text.Split("\n\n")[1];
        Assert.StartsWith("…", tail);
        Assert.EndsWith(tail[1..], first.Text);
        Assert.InRange(Chunker.EstimateTokens(tail), 1, Small.OverlapTokens);
        Assert.DoesNotContain(tail[1..], second.Markdown);
        Assert.Equal(Body(page), string.Concat(chunks.Select(c => c.Markdown)));
    }

    [Fact]
    public void Chunk_CodeBlockThatFits_IsNeverSplit()
    {
        var code = string.Join('\n', Enumerable.Range(1, 12).Select(i => $"robot.move(joint={i}, angle={i * 10})"));
        var page = Read($"# Topics\n\n## Code\n\n{Paragraph(1)}\n\n{Paragraph(2)}\n\n```python\n{code}\n```\n\n{Paragraph(3)}\n");

        var chunks = Chunker.Chunk(page, Small with { MaxTokens = 200 });

        Assert.Single(chunks, c => c.Text.Contains("Code (python):\n" + code, StringComparison.Ordinal));
        Assert.Single(chunks, c => c.Markdown.Contains("```python\n" + code + "\n```", StringComparison.Ordinal));
    }

    [Fact]
    public void Chunk_CodeBlockOverBudget_SplitsAtLinesAndKeepsTheMarkdown()
    {
        var code = string.Join('\n', Enumerable.Range(1, 80).Select(i => $"robot.move(joint={i}, angle={i * 10})"));
        var page = Read($"# Topics\n\n## Code\n\n```python\n{code}\n```\n");

        var chunks = Chunker.Chunk(page, Small);

        Assert.True(chunks.Count > 3);
        Assert.All(chunks, c => Assert.InRange(Chunker.EstimateTokens(c.Text), 1, Small.MaxTokens + Small.OverlapTokens));
        Assert.All(code.Split('\n'), line => Assert.Contains(chunks, c => c.Text.Split('\n').Contains(line)));
        Assert.Equal(Body(page), string.Concat(chunks.Select(c => c.Markdown)));
        Assert.Equal(chunks.Count, chunks.Select(c => c.Id).Distinct().Count());
    }

    [Fact]
    public void Chunk_SentenceBeforeALongListing_LeadsItsFirstPiece()
    {
        var code = string.Join('\n', Enumerable.Range(1, 80).Select(i => $"robot.move(joint={i}, angle={i * 10})"));
        var page = Read($"# Topics\n\n## Code\n\nThe whole controller:\n\n```python\n{code}\n```\n");

        var chunks = Chunker.Chunk(page, Small);

        Assert.StartsWith("Topics › Code\n\nThe whole controller:\n\nCode (python):\nrobot.move(joint=1,", chunks[0].Text);
        Assert.StartsWith("# Topics\n\n## Code\n\nThe whole controller:\n\n```python\nrobot.move(joint=1,", chunks[0].Markdown);
        Assert.Equal(Body(page), string.Concat(chunks.Select(c => c.Markdown)));
    }

    [Fact]
    public void Chunk_LineThatIntroducesAList_StartsThePartThatHoldsTheList()
    {
        var steps = string.Join('\n', Enumerable.Range(1, 4).Select(i => $"{i}. Step {i} of the printing process, which turns the tree into a document."));
        var page = Read($"# Topics\n\n## Printing\n\n{Paragraph(1, 36)}\n\nThe printing process consists of the following steps:\n\n{steps}\n");

        var chunks = Chunker.Chunk(page, Small);

        var list = Assert.Single(chunks, c => c.Markdown.Contains("1. Step 1", StringComparison.Ordinal));
        Assert.Contains("The printing process consists of the following steps:\n\n1. Step 1", list.Markdown, StringComparison.Ordinal);
        Assert.DoesNotContain(chunks, c => c.Markdown.TrimEnd().EndsWith(':'));
        Assert.Equal(Body(page), string.Concat(chunks.Select(c => c.Markdown)));
        Assert.All(chunks, c => Assert.InRange(Chunker.EstimateTokens(c.Text), 1, Small.MaxTokens + Small.OverlapTokens));
    }

    [Fact]
    public void Chunk_TinySection_JoinsThePreviousChunkWhichKeepsItsAnchor()
    {
        var page = Read($"# Topics\n\n## Publishers\n\n{Paragraph(1)}\n\n### Tip\n\nKeep queues short.\n\n## Subscribers\n\n{Paragraph(2)}\n");

        var chunks = Chunker.Chunk(page, ChunkingOptions.Default);

        Assert.Equal(["publishers", "subscribers"], chunks.Select(c => c.Anchor));
        var merged = chunks[0];
        Assert.Equal("https://book.dev/docs/guide/topics#publishers", merged.Url);
        Assert.Equal($"Topics › Publishers\n\n{Paragraph(1)}\n\nTip\nKeep queues short.", merged.Text);
        Assert.Equal($"# Topics\n\n## Publishers\n\n{Paragraph(1)}\n\n### Tip\n\nKeep queues short.\n\n", merged.Markdown);
        Assert.Equal([0, 1], chunks.Select(c => c.Position));
    }

    [Fact]
    public void Chunk_TinySectionThatWouldOverflow_StaysOnItsOwn()
    {
        var page = Read($"# Topics\n\n## Full\n\n{Paragraph(1, 80)}\n\n## Tiny\n\nShort words.\n");
        var fullChunkTokens = Chunker.EstimateTokens($"Topics › Full\n\n{Paragraph(1, 80)}");

        var chunks = Chunker.Chunk(page, Small with { MaxTokens = fullChunkTokens + 1 });

        Assert.Equal(["full", "tiny"], chunks.Select(c => c.Anchor));
    }

    [Fact]
    public void Chunk_HeadingWithoutText_OnlyBringsItsMarkdown()
    {
        var page = Read($"# Topics\n\n## Exercises\n\n### First\n\n{Paragraph(1)}\n");

        var chunk = Assert.Single(Chunker.Chunk(page, ChunkingOptions.Default));

        Assert.Equal("first", chunk.Anchor);
        Assert.Equal($"Topics › Exercises › First\n\n{Paragraph(1)}", chunk.Text);
        Assert.Equal(Body(page), chunk.Markdown);
    }

    [Fact]
    public void Chunk_SameInputTwice_GivesTheSameIdsAndHashes()
    {
        var source = "# Topics\n\n" + string.Join("\n\n", Enumerable.Range(1, 10).Select(n => $"## Part {n % 3}\n\n{Paragraph(n, 40 * (n % 4))}"));

        var first = Chunker.Chunk(Read(source), Small);
        var second = Chunker.Chunk(Read(source), Small);

        Assert.Equal(first.Select(c => (c.Id, c.ContentHash)), second.Select(c => (c.Id, c.ContentHash)));
        Assert.Equal(first.Count, first.Select(c => c.Id).Distinct().Count());
        Assert.All(first, c => Assert.Equal(5, Guid.Parse(c.Id).Version));
        Assert.All(first, c => Assert.Matches("^[0-9a-f]{64}$", c.ContentHash));
    }

    [Fact]
    public void Chunk_ChangedText_ChangesTheHashNotTheId()
    {
        var before = Assert.Single(Chunker.Chunk(Read($"# Topics\n\n## A\n\n{Paragraph(1)}\n"), ChunkingOptions.Default));
        var after = Assert.Single(Chunker.Chunk(Read($"# Topics\n\n## A\n\n{Paragraph(2)}\n"), ChunkingOptions.Default));

        Assert.Equal(before.Id, after.Id);
        Assert.NotEqual(before.ContentHash, after.ContentHash);
    }

    [Fact]
    public void Chunk_HandBuiltSectionWithoutBlocks_IsOneBlock()
    {
        var page = new BookPage("https://book.dev/docs/a", "/a", "A", null, null, "a.md",
            [new PageSection("A", "", 1, ["A"], Paragraph(1), Paragraph(1) + "\n")]);

        var chunk = Assert.Single(Chunker.Chunk(page, ChunkingOptions.Default));

        Assert.Equal($"A\n\n{Paragraph(1)}", chunk.Text);
    }

    [Fact]
    public void Chunk_PageWithoutText_HasNoChunks()
    {
        Assert.Empty(Chunker.Chunk(Read("---\ntitle: Empty\n---\n\n{/* nothing yet */}\n"), ChunkingOptions.Default));
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("abcd", 1)]
    [InlineData("abcde", 2)]
    public void EstimateTokens_IsCharactersOverFourRoundedUp(string text, int expected)
    {
        Assert.Equal(expected, Chunker.EstimateTokens(text));
    }
}
