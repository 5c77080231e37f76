using System.Text;
using Markdig;
using Markdig.Syntax;
using Microsoft.Extensions.Logging;

namespace RagFunctions.Ingestion;

/// <summary>
/// Reads a Docusaurus docs folder (<c>.md</c> and <c>.mdx</c>) into pages and sections, with the URLs and heading anchors
/// the published site has. Pages come ordered by folder, then sidebar position, then file name.
/// </summary>
internal sealed partial class MarkdownBookReader(DocusaurusSite site, ILogger<MarkdownBookReader> logger)
{
    /// <summary>Every page under <paramref name="docsFolder"/>; files and folders starting with <c>_</c> are partials, not pages.</summary>
    public async Task<IReadOnlyList<BookPage>> ReadAsync(string docsFolder, CancellationToken cancellationToken)
        => (await ReadBookAsync(docsFolder, cancellationToken)).Pages;

    /// <summary>
    /// Every page under <paramref name="docsFolder"/>, and every other Markdown file with the reason it is not indexed:
    /// a partial (<c>_</c>), hidden, a draft, empty, or a second file for a URL another file already has.
    /// </summary>
    public async Task<BookRead> ReadBookAsync(string docsFolder, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(docsFolder))
        {
            throw new DirectoryNotFoundException($"Docs folder not found: {Path.GetFullPath(docsFolder)}");
        }

        var format = DocusaurusConfig.MarkdownFormat(docsFolder);
        var pages = new List<(BookPage Page, string Folder, double Position, string FileName)>();
        var skipped = new List<SkippedFile>();
        var files = Directory.EnumerateFiles(docsFolder, "*", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(docsFolder, file).Replace('\\', '/'))
            .Where(DocusaurusRoutes.IsMarkdown)
            .Order(StringComparer.Ordinal);
        foreach (var relativePath in files)
        {
            if (DocusaurusRoutes.NotAPageReason(relativePath) is { } notAPage)
            {
                skipped.Add(new SkippedFile(relativePath, notAPage));
                continue;
            }

            var source = await File.ReadAllTextAsync(Path.Combine(docsFolder, relativePath), cancellationToken);
            var (page, position, draft) = Read(relativePath, source, IsMdx(relativePath, format));
            if (draft || !HasText(page))
            {
                skipped.Add(new SkippedFile(relativePath, draft ? SkipReasons.Draft : SkipReasons.Empty));
                continue;
            }

            var slash = relativePath.LastIndexOf('/');
            pages.Add((page, slash < 0 ? "" : relativePath[..slash], position ?? double.MaxValue, relativePath[(slash + 1)..]));
        }

        // Two files for one URL (a page next to a folder's index with the same id, say): the site serves one of them.
        // The one with more text is kept, so an empty leftover never hides the real page.
        var kept = new List<(BookPage Page, string Folder, double Position, string FileName)>();
        foreach (var sameUrl in pages.GroupBy(p => p.Page.PageUrl, StringComparer.Ordinal))
        {
            var ordered = sameUrl
                .OrderByDescending(p => p.Page.Sections.Sum(s => s.Text.Length))
                .ThenBy(p => p.Page.SourcePath, StringComparer.Ordinal)
                .ToList();
            kept.Add(ordered[0]);
            skipped.AddRange(ordered.Skip(1).Select(p => new SkippedFile(p.Page.SourcePath, SkipReasons.SameUrl(ordered[0].Page.SourcePath))));
        }

        foreach (var file in skipped)
        {
            LogSkipped(logger, file.Path, file.Reason);
        }

        LogFolderRead(logger, kept.Count, skipped.Count, docsFolder);
        var book = kept
            .OrderBy(p => p.Folder, StringComparer.Ordinal)
            .ThenBy(p => p.Position)
            .ThenBy(p => p.FileName, StringComparer.Ordinal)
            .Select(p => p.Page)
            .ToList();
        return new BookRead(book, [.. skipped.OrderBy(s => s.Path, StringComparer.Ordinal)]);
    }

    /// <summary>Reads one page from its source; <paramref name="relativePath"/> is relative to the docs folder.</summary>
    /// <param name="markdownFormat">The site's <c>markdown.format</c>: <c>mdx</c> (Docusaurus 3's default), <c>detect</c> or <c>md</c>.</param>
    public BookPage ReadPage(string relativePath, string source, string markdownFormat = DocusaurusConfig.Mdx)
        => Read(relativePath.Replace('\\', '/'), source, IsMdx(relativePath, markdownFormat)).Page;

    /// <summary>
    /// Whether the site compiles the file as MDX: every file with <c>markdown.format: 'mdx'</c>; with <c>detect</c>, only
    /// <c>.mdx</c> files; with <c>md</c>, none.
    /// </summary>
    private static bool IsMdx(string relativePath, string format) => format switch
    {
        DocusaurusConfig.Md => false,
        DocusaurusConfig.Detect => relativePath.EndsWith(".mdx", StringComparison.OrdinalIgnoreCase),
        _ => true,
    };

    /// <summary>True when the page has text to index (a chunk to write).</summary>
    public static bool HasText(BookPage page) => page.Sections.Any(s => s.BlocksOrWhole.Any(b => b.Text.Length > 0));

    private (BookPage Page, double? Position, bool Draft) Read(string relativePath, string source, bool mdx)
    {
        var text = source.ReplaceLineEndings("\n").TrimStart('\uFEFF');
        var repairs = new List<string>();
        if (EscapedText.IsEscapedLine(text))
        {
            text = EscapedText.Unescape(text);
            repairs.Add(EscapedRepair);
        }

        var (frontMatter, bodyStart, isValid) = FrontMatter.Parse(text);
        if (!isValid)
        {
            LogBadFrontMatter(logger, relativePath);
        }

        if (bodyStart > 0 && EscapedText.IsEscapedLine(text[bodyStart..]))
        {
            text = text[..bodyStart] + EscapedText.Unescape(text[bodyStart..]);
            repairs.Add(EscapedRepair);
        }

        foreach (var repair in repairs)
        {
            LogRepaired(logger, relativePath, repair);
        }

        var body = new PageBody(text[bodyStart..], mdx);
        var document = Markdown.Parse(body.Mdx.Masked, MarkdownText.Pipeline);

        // Every heading takes its anchor in document order, nested ones too, so duplicates are numbered like on the site.
        var slugger = new HeadingSlugger();
        var headings = document.Descendants<HeadingBlock>().ToDictionary(h => h, h => slugger.Next(MarkdownText.Inline(h.Inline)));

        var (fileId, prefixNumber) = DocusaurusRoutes.ParseNumberPrefix(Path.GetFileNameWithoutExtension(relativePath));
        var titleHeading = document.FirstOrDefault() is HeadingBlock { Level: 1 } first && headings[first].Text.Length > 0 ? first : null;
        var title = frontMatter.Title ?? (titleHeading is null ? null : headings[titleHeading].Text) ?? frontMatter.Id ?? fileId;
        var routePath = DocusaurusRoutes.RoutePath(relativePath, frontMatter.Id, frontMatter.Slug);
        var position = frontMatter.SidebarPosition ?? prefixNumber;

        var sections = Sections(body, document, headings, titleHeading, title);
        FrontMatterText.AddTo(sections, FrontMatterText.Of(frontMatter, title, titleHeading is null ? null : headings[titleHeading].Text), title);
        var page = new BookPage(
            site.PageUrl(routePath),
            routePath,
            title,
            frontMatter.SidebarLabel,
            position is { } p ? (int)Math.Floor(p) : null,
            relativePath,
            sections)
        {
            Repairs = repairs,
        };
        return (page, position, frontMatter.Draft);
    }

    private const string EscapedRepair = "one line of escaped text (literal \\n): unescaped into lines";

    private static List<PageSection> Sections(
        PageBody body, MarkdownDocument document, Dictionary<HeadingBlock, (string Text, string Anchor)> headings, HeadingBlock? titleHeading, string title)
    {
        var cuts = document
            .OfType<HeadingBlock>()
            .Where(h => h != titleHeading && headings[h].Text.Length > 0)
            .Select(h => (Start: body.LineStart(h.Span.Start), Heading: h))
            .ToList();

        // The lead runs from the first line with content to the first heading; without text of its own (the title heading
        // alone, say) its source joins the first section instead.
        var sections = new List<PageSection>();
        var leadEnd = cuts.Count > 0 ? cuts[0].Start : body.Text.Length;
        var sectionStart = body.FirstContentLine(leadEnd);
        if (sectionStart < leadEnd)
        {
            var lead = Section(body, document, sectionStart, leadEnd, null, title, "", 1, [title], titleHeading);
            if (lead.Text.Length > 0 || cuts.Count == 0)
            {
                sections.Add(lead);
                sectionStart = leadEnd;
            }
        }

        var trail = new List<(int Level, string Heading)>();
        for (var i = 0; i < cuts.Count; i++)
        {
            var (start, heading) = cuts[i];
            start = i == 0 ? sectionStart : start;
            var (text, anchor) = headings[heading];
            trail.RemoveAll(t => t.Level >= heading.Level);
            trail.Add((heading.Level, text));
            var end = i + 1 < cuts.Count ? cuts[i + 1].Start : body.Text.Length;
            sections.Add(Section(body, document, start, end, heading, text, anchor, heading.Level, [title, .. trail.Select(t => t.Heading)], titleHeading));
        }

        return sections;
    }

    private static PageSection Section(
        PageBody body, MarkdownDocument document, int start, int end, HeadingBlock? heading,
        string text, string anchor, int level, IReadOnlyList<string> titlePath, HeadingBlock? titleHeading)
    {
        var blocks = document
            .Where(b => b != heading && b != titleHeading && body.LineStart(b.Span.Start) >= start && body.LineStart(b.Span.Start) < end)
            .ToList();

        // Block texts by the line they start on; MDX prose inside a block joins it, prose between blocks is a block of its own.
        var items = blocks.Select(b => (Start: body.LineStart(b.Span.Start), Text: MarkdownText.Block(b))).ToList();
        foreach (var mdx in body.Mdx.Texts.Where(t => t.Position >= start && t.Position < end))
        {
            var container = blocks.FindIndex(b => b.Span.Start <= mdx.Position && mdx.Position <= b.Span.End);
            if (container >= 0)
            {
                var (blockStart, blockText) = items[container];
                var first = mdx.Position <= blocks[container].Span.Start;
                items[container] = (blockStart, first ? JoinLines(mdx.Text, blockText) : JoinLines(blockText, mdx.Text));
            }
            else if (heading is null || mdx.Position > heading.Span.End)
            {
                items.Add((body.LineStart(mdx.Position), mdx.Text));
            }
        }

        var texts = items
            .Where(item => item.Text.Length > 0)
            .GroupBy(item => item.Start)
            .OrderBy(group => group.Key)
            .Select(group => (Start: group.Key, Text: string.Join('\n', group.Select(item => item.Text))))
            .ToList();

        var sectionBlocks = new List<SectionBlock>();
        for (var i = 0; i < texts.Count; i++)
        {
            var from = i == 0 ? start : texts[i].Start;
            var to = i + 1 < texts.Count ? texts[i + 1].Start : end;
            sectionBlocks.Add(new SectionBlock(texts[i].Text, body.Slice(from, to)));
        }

        if (sectionBlocks.Count == 0)
        {
            sectionBlocks.Add(new SectionBlock("", body.Slice(start, end)));
        }

        return new PageSection(
            text,
            anchor,
            level,
            titlePath,
            string.Join("\n\n", texts.Select(t => t.Text)),
            body.Slice(start, end),
            sectionBlocks);
    }

    private static string JoinLines(string first, string second) => first.Length == 0 ? second : second.Length == 0 ? first : first + "\n" + second;

    /// <summary>A page body (front matter gone, newlines <c>\n</c>) and its MDX layer.</summary>
    private sealed class PageBody(string text, bool mdx)
    {
        public string Text { get; } = text;

        public MdxSource Mdx { get; } = MdxSource.Scan(text, mdxFences: mdx);

        public int LineStart(int position) => position <= 0 ? 0 : Text.LastIndexOf('\n', Math.Min(position, Text.Length) - 1) + 1;

        /// <summary>The source from <paramref name="start"/> to <paramref name="end"/>, without <c>import</c>/<c>export</c> lines.</summary>
        public string Slice(int start, int end)
        {
            var slice = new StringBuilder(end - start);
            var position = start;
            foreach (var (removedStart, removedEnd) in Mdx.Removed.Where(r => r.End > start && r.Start < end))
            {
                if (removedStart > position)
                {
                    slice.Append(Text, position, removedStart - position);
                }

                position = Math.Max(position, removedEnd);
            }

            if (end > position)
            {
                slice.Append(Text, position, end - position);
            }

            return slice.ToString();
        }

        /// <summary>The start of the first line before <paramref name="limit"/> with content (import/export lines do not count).</summary>
        public int FirstContentLine(int limit)
        {
            for (var start = 0; start < limit;)
            {
                var end = Text.IndexOf('\n', start);
                end = end < 0 || end > limit ? limit : end;
                if (!Slice(start, end).AsSpan().IsWhiteSpace())
                {
                    return start;
                }

                start = end + 1;
            }

            return limit;
        }
    }

    [LoggerMessage(EventId = 4100, Level = LogLevel.Warning, Message = "Front matter of {Path} is not valid YAML; the page is read without it")]
    private static partial void LogBadFrontMatter(ILogger logger, string path);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Read {PageCount} pages from {DocsFolder}; {SkippedCount} files skipped")]
    private static partial void LogFolderRead(ILogger logger, int pageCount, int skippedCount, string docsFolder);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Repaired {Path}: {Repair}")]
    private static partial void LogRepaired(ILogger logger, string path, string repair);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "Skipped {Path}: {Reason}")]
    private static partial void LogSkipped(ILogger logger, string path, string reason);
}
