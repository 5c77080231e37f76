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

    [Fact]
    public void PieceOfASectionMergedIntoAChunk_IsCitedAtThatSectionsOwnAnchor_NumberedAsTheSiteNumbersIt()
    {
        var usage = Chunk("usage", "Usage › Run it\n\nRun the tool.\n\nExample\nrun --fast", position: 2, heading: "Usage") with
        {
            Markdown = "## Usage\n\nRun the tool.\n\n### Example\n\n```\nrun --fast\n```\n\n",
        };
        var page = Page(
            Chunk("lead", "Intro.", position: 0) with { Anchor = "", Markdown = "Intro.\n\n" },
            Chunk("first", "The first example.", position: 1, heading: "Example"),
            usage);

        var cited = SectionReader.MergedSection(page, usage, "Example");

        Assert.Equal("example-1", cited.Anchor);
        Assert.Equal(usage.PageUrl + "#example-1", cited.Url);
        Assert.Equal("Example", cited.Heading);
        Assert.EndsWith("run --fast", cited.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Run the tool", cited.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void PageWhoseAnchorsCannotBeWorkedOutAgain_KeepsTheChunksOwnCitation()
    {
        var usage = Chunk("usage", "Run the tool.", position: 1, heading: "Usage") with { Markdown = "## Usage\n\nRun the tool.\n\n### Example\n\nrun\n" };
        var page = Page(Chunk("first", "The first example.", position: 0, heading: "Example") with { Anchor = "custom-id" }, usage);

        Assert.Same(usage, SectionReader.MergedSection(page, usage, "Example"));
    }

    private static BookChunk Part(string id, int position, string heading, string text)
        => Chunk(id, text, position: position, heading: heading) with { Markdown = text + "\n\n" };

    private static BookChunk[] Page(params BookChunk[] chunks) => chunks;
}
