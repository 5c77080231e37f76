using RagFunctions.Chat;
using RagFunctions.Retrieval.VectorStore;
using static RagFunctions.Tests.Retrieval.TestChunks;

namespace RagFunctions.Tests.Chat;

public sealed class SectionReaderTests
{
    [Fact]
    public void ChunkFound_IsReadWithTheOtherPartsOfItsSection_InPageOrder_AndNotWithTheNextSection()
    {
        var page = Page(
            Part("lead", 0, "Plugins", "Plugins add languages."),
            Part("a", 1, "Printing", "The printer turns a tree into a document."),
            Part("b", 2, "Printing", "The process has these stages:\n\n1. Preprocessing.\n2. Printing."),
            Part("c", 3, "Options", "Plugins may add options."));

        var read = SectionReader.Around(page, page[1]);

        Assert.Equal(page[1].Markdown + page[2].Markdown, read.Markdown);
        Assert.Equal(page[1].Text, read.Text);
        Assert.Equal(page[1].Id, read.Id);
    }

    [Fact]
    public void ListingSplitAcrossChunks_IsNotJoined()
    {
        var page = Page(
            Part("a", 0, "Config", "Put this in the file:\n\n```yaml\nserver:\n  port: 80"),
            Part("b", 1, "Config", "  host: example\n```\n\nThe server reads it at start."));

        Assert.Equal(page[0].Markdown, SectionReader.Around(page, page[0]).Markdown);
        Assert.Equal(page[1].Markdown, SectionReader.Around(page, page[1]).Markdown);
    }

    [Fact]
    public void ChunkOfALongSection_IsReadWithTwoPartsOnEachSide()
    {
        var page = Page([.. Enumerable.Range(0, 7).Select(i => Part($"p{i}", i, "Long", $"Part {i}."))]);

        var read = SectionReader.Around(page, page[3]);

        Assert.Equal(string.Concat(page.Skip(1).Take(5).Select(c => c.Markdown)), read.Markdown);
    }

    private static BookChunk Part(string id, int position, string heading, string text)
        => Chunk(id, text, position: position, heading: heading) with { Markdown = text + "\n\n" };

    private static BookChunk[] Page(params BookChunk[] chunks) => chunks;
}
