using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Ingestion;

/// <summary>How pages are cut into chunks. Token counts are estimates: see <see cref="Chunker.EstimateTokens"/>.</summary>
internal sealed record ChunkingOptions
{
    /// <summary>Budget of a chunk's Text (title path line included, overlap not).</summary>
    public int MaxTokens { get; init; } = 350;

    /// <summary>A section under this size joins the chunk before it (when that stays within budget).</summary>
    public int MinTokens { get; init; } = 40;

    /// <summary>How much of the previous part a continued section repeats at the start of its Text.</summary>
    public int OverlapTokens { get; init; } = 40;

    public static ChunkingOptions Default { get; } = new();
}

/// <summary>
/// Cuts a page into <see cref="BookChunk"/>s. One chunk per section; a section over budget is split at block boundaries
/// (paragraph, list, table, code block...), and inside a block only when that block alone is over budget (then at line, then
/// word boundaries). A continued part's Text starts with the tail of the part before (Text only, never Markdown).
/// A section under <see cref="ChunkingOptions.MinTokens"/> is appended, heading included, to the chunk before it, which keeps
/// its own anchor and URL. Every Text starts with the title path line (<c>Page › Section › Subsection</c>).
/// </summary>
internal sealed class Chunker
{
    private const int CharsPerToken = 4;
    private const string OverlapMark = "…";

    /// <summary>RFC 4122 URL namespace: chunk ids are name-based UUIDs of URLs.</summary>
    private static readonly Guid UrlNamespace = new("6ba7b811-9dad-11d1-80b4-00c04fd430c8");

    /// <summary>Estimated tokens: one per 4 characters, rounded up (close for English prose and code, cheap, deterministic).</summary>
    public static int EstimateTokens(string text) => (text.Length + CharsPerToken - 1) / CharsPerToken;

    public IReadOnlyList<BookChunk> Chunk(BookPage page, ChunkingOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxTokens, 16);
        var drafts = new List<Draft>();
        var carriedMarkdown = "";
        foreach (var section in page.Sections)
        {
            var pathLine = BookChunk.PathLine(section.TitlePath);
            var bodyBudget = Math.Max(options.MaxTokens / 4, options.MaxTokens - EstimateTokens(pathLine + BookChunk.PartSeparator)) * CharsPerToken;
            var parts = Split(section.BlocksOrWhole, bodyBudget);
            if (parts.Count == 0)
            {
                // Nothing to read (a heading alone, an MDX comment): its source goes with the neighbouring chunk.
                if (drafts.Count > 0)
                {
                    drafts[^1] = drafts[^1] with { Markdown = drafts[^1].Markdown + section.Markdown };
                }
                else
                {
                    carriedMarkdown += section.Markdown;
                }

                continue;
            }

            if (parts is [var only] && drafts.Count > 0 && EstimateTokens(only.Text) < options.MinTokens)
            {
                var merged = drafts[^1].Append(section.Heading, only.Text, only.Markdown);
                if (merged.Body.Length <= merged.BodyBudget)
                {
                    drafts[^1] = merged;
                    continue;
                }
            }

            for (var i = 0; i < parts.Count; i++)
            {
                var overlap = i == 0 ? "" : Tail(parts[i - 1].Text, options.OverlapTokens * CharsPerToken);
                drafts.Add(new Draft(section, i, pathLine, bodyBudget, overlap, parts[i].Text, carriedMarkdown + parts[i].Markdown));
                carriedMarkdown = "";
            }
        }

        return drafts.Select((draft, position) => draft.ToChunk(page, position)).ToList();
    }

    /// <summary>How a section merged into the chunk before it starts in that chunk's Text: its heading on a line of its own.</summary>
    public static string MergedHeadingLine(string heading) => $"\n\n{heading}\n";

    /// <summary>A chunk's text: its title path line, the overlap from the part before (opening with "…"), its body, apart by a blank line.</summary>
    public static string ChunkText(string pathLine, string overlap, string body)
        => string.Join(BookChunk.PartSeparator, new[] { pathLine, overlap, body }.Where(t => t.Length > 0));

    /// <summary>Whether a chunk's text goes on with a section begun in the chunk before it (its body opens with the overlap's "…").</summary>
    public static bool ContinuesASection(string chunkText)
        => chunkText.StartsWith(OverlapMark, StringComparison.Ordinal)
           || chunkText.IndexOf(BookChunk.PartSeparator, StringComparison.Ordinal) is var end and >= 0
              && chunkText.AsSpan(end + BookChunk.PartSeparator.Length).StartsWith(OverlapMark, StringComparison.Ordinal);

    /// <summary>The chunk id: a UUID (v5, SHA-1) of <c>pageUrl#anchor/part</c>, the same on every run.</summary>
    public static string ChunkId(string pageUrl, string anchor, int part) =>
        NameBasedUuid(UrlNamespace, $"{pageUrl}#{anchor}/{part.ToString(CultureInfo.InvariantCulture)}").ToString("D");

    /// <summary>RFC 4122 §4.3 name-based UUID with SHA-1 (version 5).</summary>
    public static Guid NameBasedUuid(Guid namespaceId, string name)
    {
        var input = new byte[16 + Encoding.UTF8.GetByteCount(name)];
        namespaceId.TryWriteBytes(input, bigEndian: true, out _);
        Encoding.UTF8.GetBytes(name, input.AsSpan(16));
        var hash = SHA1.HashData(input);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    /// <summary>
    /// Groups blocks into parts of at most <paramref name="budget"/> characters of Text. Blank blocks only bring their Markdown.
    /// A line that introduces what follows ("… the following steps:") starts the next part with it, rather than ending a part alone.
    /// </summary>
    private static List<Part> Split(IReadOnlyList<SectionBlock> blocks, int budget)
    {
        var parts = new List<Part>();
        var pending = new List<SectionBlock>();

        Part Pending() => new(string.Join(BookChunk.PartSeparator, pending.Where(b => b.Text.Length > 0).Select(b => b.Text)), string.Concat(pending.Select(b => b.Markdown)));
        int PendingLength() => pending.Where(b => b.Text.Length > 0).Sum(b => b.Text.Length + BookChunk.PartSeparator.Length);

        foreach (var block in blocks)
        {
            if (block.Text.Length == 0)
            {
                pending.Add(block);
                continue;
            }

            if (block.Text.Length > budget)
            {
                // What came before (often the sentence introducing a long listing) leads the first piece.
                parts.AddRange(SplitBlock(block, budget, Pending()));
                pending.Clear();
                continue;
            }

            if (PendingLength() > 0 && PendingLength() + block.Text.Length > budget)
            {
                var introduction = pending.FindLastIndex(b => b.Text.Length > 0);
                var carried = pending[introduction].Text.TrimEnd().EndsWith(':') && pending.Take(introduction).Any(b => b.Text.Length > 0)
                              && pending[introduction].Text.Length + 2 + block.Text.Length <= budget
                    ? pending[introduction..]
                    : [];
                pending.RemoveRange(pending.Count - carried.Count, carried.Count);
                parts.Add(Pending());
                pending = carried;
            }

            pending.Add(block);
        }

        if (PendingLength() > 0)
        {
            parts.Add(Pending());
        }
        else if (pending.Count > 0 && parts.Count > 0)
        {
            parts[^1] = parts[^1] with { Markdown = parts[^1].Markdown + Pending().Markdown };
        }

        return parts;
    }

    /// <summary>
    /// Splits one block over budget at line boundaries (long lines at spaces), after the <paramref name="lead"/> text that
    /// precedes it in the part. The block's Markdown is cut at the line that sits at the same relative place as the text cut,
    /// so the pieces' Markdown still concatenates to the lead's and the block's.
    /// </summary>
    private static List<Part> SplitBlock(SectionBlock block, int budget, Part lead)
    {
        var pieces = new List<(string Text, int Consumed)>();
        var current = new StringBuilder(lead.Text);
        var consumed = 0;
        var separator = lead.Text.Length > 0 ? BookChunk.PartSeparator : "";
        foreach (var line in block.Text.Split('\n').SelectMany(line => Wrap(line, budget)))
        {
            if (current.Length > 0 && current.Length + separator.Length + line.Length > budget)
            {
                pieces.Add((current.ToString(), consumed));
                current.Clear();
                separator = "";
            }

            current.Append(separator).Append(line);
            consumed += line.Length + 1;
            separator = "\n";
        }

        pieces.Add((current.ToString(), block.Text.Length + 1));

        var parts = new List<Part>();
        var markdownStart = 0;
        foreach (var (text, textConsumed) in pieces)
        {
            var markdownEnd = textConsumed > block.Text.Length
                ? block.Markdown.Length
                : NextLineStart(block.Markdown, Math.Max(markdownStart, (int)((long)block.Markdown.Length * textConsumed / (block.Text.Length + 1))));
            var markdown = (parts.Count == 0 ? lead.Markdown : "") + block.Markdown[markdownStart..markdownEnd];
            parts.Add(new Part(text, markdown));
            markdownStart = markdownEnd;
        }

        return parts;
    }

    private static IEnumerable<string> Wrap(string line, int budget)
    {
        while (line.Length > budget)
        {
            var cut = line.LastIndexOf(' ', budget - 1);
            cut = cut > 0 ? cut : budget;
            yield return line[..cut].TrimEnd();
            line = line[cut..].TrimStart();
        }

        yield return line;
    }

    private static int NextLineStart(string text, int position)
    {
        if (position <= 0)
        {
            return 0;
        }

        var newline = text.IndexOf('\n', position - 1);
        return newline < 0 ? text.Length : newline + 1;
    }

    /// <summary>About <paramref name="chars"/> characters from the end of <paramref name="text"/>, starting at a word.</summary>
    private static string Tail(string text, int chars)
    {
        chars -= OverlapMark.Length + 2;
        if (chars <= 0)
        {
            return "";
        }

        if (text.Length <= chars)
        {
            return OverlapMark + text;
        }

        var start = text.Length - chars;
        var space = text.IndexOfAny([' ', '\n'], start);
        return space < 0 || space + 1 >= text.Length ? "" : OverlapMark + text[(space + 1)..];
    }

    private sealed record Part(string Text, string Markdown);

    /// <summary>A chunk being built: the section it starts with, its part number, its body and the body's budget in characters.</summary>
    private sealed record Draft(PageSection Section, int PartIndex, string PathLine, int BodyBudget, string Overlap, string Body, string Markdown)
    {
        public Draft Append(string heading, string text, string markdown) =>
            this with { Body = Body + MergedHeadingLine(heading) + text, Markdown = Markdown + markdown };

        public BookChunk ToChunk(BookPage page, int position)
        {
            var id = ChunkId(page.PageUrl, Section.Anchor, PartIndex);
            var url = DocusaurusSite.SectionUrl(page.PageUrl, Section.Anchor);
            var text = ChunkText(PathLine, Overlap, Body);
            return new BookChunk(
                id, page.PageUrl, url, page.Title, Section.Heading, Section.Anchor, Section.TitlePath, position, text, Markdown,
                ContentHash(id, url, Section.TitlePath, position, text, Markdown));
        }
    }

    /// <summary>Hex SHA-256 of the fields, each ended by a unit separator so that no two field lists hash alike.</summary>
    private static string ContentHash(string id, string url, IReadOnlyList<string> titlePath, int position, string text, string markdown)
    {
        const char separator = '\u001f';
        var content = new StringBuilder()
            .Append(id).Append(separator)
            .Append(url).Append(separator)
            .AppendJoin('\u001e', titlePath).Append(separator)
            .Append(position.ToString(CultureInfo.InvariantCulture)).Append(separator)
            .Append(text).Append(separator)
            .Append(markdown).Append(separator);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content.ToString())));
    }
}
