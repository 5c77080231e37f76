using Markdig;
using Markdig.Syntax;
using Microsoft.Extensions.Logging;
using RagFunctions.Ingestion;
using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Chat;

/// <summary>
/// Reads the rest of a section the retriever found part of. A section longer than one chunk is indexed as several, and
/// search finds the one that shares most words with the question; the sentence that answers ("The printing process
/// consists of the following steps:") is often in the part next to it. The chunk is read with its neighbours of the same
/// section, as one passage whose Markdown is their slices in page order (so the section reads as the book wrote it).
/// </summary>
internal sealed partial class SectionReader(IVectorStore store, ILogger<SectionReader> logger)
{
    /// <summary>Chunks read on each side of the one found: a section of up to five chunks (about 7,000 characters) is read whole.</summary>
    private const int Neighbours = 2;

    /// <summary>
    /// The chunk with the parts of its section around it, read from its page in the index; the chunk as found when the
    /// store cannot be read now (the search that found it already answered, so the answer is still given).
    /// </summary>
    public async Task<BookChunk> WithItsSectionAsync(BookChunk chunk, CancellationToken cancellationToken)
    {
        if (chunk.Markdown.Length == 0)
        {
            return chunk;
        }

        try
        {
            return Around(await store.GetPageAsync(chunk.PageUrl, cancellationToken), chunk);
        }
        catch (VectorStoreException ex)
        {
            LogSectionUnread(logger, ex.Message);
            return chunk;
        }
    }

    /// <summary>
    /// The chunk with the chunks of its section on each side of it (<paramref name="page"/> in reading order). A listing
    /// split across chunks is not joined: read whole it could be longer than an answer quotes, and the part found is the
    /// part that was asked about.
    /// </summary>
    internal static BookChunk Around(IReadOnlyList<BookChunk> page, BookChunk chunk)
    {
        var found = page.ToList().FindIndex(c => c.Id == chunk.Id);
        if (found < 0 || chunk.Markdown.Length == 0)
        {
            return chunk;
        }

        // Whether the boundary before each chunk falls inside a code listing: the fences above it do not pair up.
        var insideListing = new bool[page.Count + 1];
        for (var i = 0; i < page.Count; i++)
        {
            insideListing[i + 1] = insideListing[i] ^ (StrayCode.FenceCount(page[i].Markdown) % 2 == 1);
        }

        var first = found;
        while (first > 0 && found - first < Neighbours && page[first - 1].Url == chunk.Url && !insideListing[first])
        {
            first--;
        }

        var last = found;
        while (last + 1 < page.Count && last - found < Neighbours && page[last + 1].Url == chunk.Url && !insideListing[last + 1])
        {
            last++;
        }

        return first == last ? chunk : chunk with { Markdown = string.Concat(page.Skip(first).Take(last - first + 1).Select(c => c.Markdown)) };
    }

    /// <summary>
    /// The chunk as the source of a piece quoted from a small section merged into it ("### Exit codes" inside the
    /// "--check" chunk): cited at that section's own heading and anchor, as the site numbers it ("example-1" for a page's
    /// second "Example"), so the citation lands where the piece is. The chunk as it is when the store cannot be read now
    /// or the page's anchors cannot be worked out again from its chunks.
    /// </summary>
    public async Task<BookChunk> AsMergedSectionAsync(BookChunk chunk, string heading, CancellationToken cancellationToken)
    {
        try
        {
            return MergedSection(await store.GetPageAsync(chunk.PageUrl, cancellationToken), chunk, heading);
        }
        catch (VectorStoreException ex)
        {
            LogMergedSectionUncited(logger, ex.Message);
            return chunk;
        }
    }

    /// <summary>
    /// The anchors of <paramref name="page"/>'s headings (every heading of its chunks' Markdown, in reading order, numbered
    /// as ingestion numbers them), trusted only when each chunk's own anchor is among those worked out for it.
    /// </summary>
    internal static BookChunk MergedSection(IReadOnlyList<BookChunk> page, BookChunk chunk, string heading)
    {
        var slugger = new HeadingSlugger();
        string? anchor = null;
        foreach (var part in page)
        {
            var headings = Markdown.Parse(part.Markdown, MarkdownText.Pipeline).Descendants<HeadingBlock>()
                .Select(h => slugger.Next(MarkdownText.Inline(h.Inline)))
                .ToArray();
            if (part.Anchor.Length > 0 && headings.Length > 0 && headings.All(h => h.Anchor != part.Anchor))
            {
                return chunk;
            }

            // The chunk's own section may be read whole (SectionReader.Around): the merged section is in one of its chunks.
            if (part.Url == chunk.Url)
            {
                anchor ??= headings.FirstOrDefault(h => h.Text == heading && h.Anchor != part.Anchor).Anchor;
            }
        }

        if (anchor is null)
        {
            return chunk;
        }

        // Its text from its own heading on, after the title path line, so the source's snippet is the piece's section.
        var headingLine = Chunker.MergedHeadingLine(heading);
        var own = chunk.Text.IndexOf(headingLine, StringComparison.Ordinal);
        var text = own < 0 ? chunk.Text : Chunker.ChunkText(BookChunk.PathLine(chunk.TitlePath), "", chunk.Text[(own + headingLine.Length)..]);
        return chunk with { Heading = heading, Anchor = anchor, Url = DocusaurusSite.SectionUrl(chunk.PageUrl, anchor), Text = text };
    }

    [LoggerMessage(EventId = 1031, Level = LogLevel.Warning, Message = "A piece of a merged section is cited at the section it was merged into: {Reason}")]
    private static partial void LogMergedSectionUncited(ILogger logger, string reason);

    [LoggerMessage(EventId = 1030, Level = LogLevel.Warning, Message = "The rest of the section was not read, the answer quotes the part found: {Reason}")]
    private static partial void LogSectionUnread(ILogger logger, string reason);
}
