using System.Globalization;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace RagFunctions.Ingestion;

/// <summary>
/// Reads a page of a built Docusaurus site: the article (<c>.theme-doc-markdown</c>, else <c>article</c>, else <c>main</c>),
/// its title (<c>h1</c>, else <c>&lt;title&gt;</c>) and its sections at <c>h2</c>–<c>h4</c>, whose rendered <c>id</c>s are the anchors.
/// Navigation, footers, "Edit this page", pagination, heading links and copy buttons are left out; code blocks are kept.
/// There is no source, so each section's Markdown is a Markdown rendering of what the page shows.
/// Kept whole (about 300 lines): one walk over one article, whose inline, code, list and table renderings feed each other.
/// </summary>
internal sealed class HtmlPageReader(DocusaurusSite site)
{
    private const string Noise =
        "nav, footer, script, style, noscript, template, svg, button, .hash-link, .theme-edit-this-page, .pagination-nav, "
        + ".theme-doc-footer, .theme-doc-breadcrumbs, .theme-doc-toc-mobile, .theme-doc-toc-desktop, .theme-doc-version-badge, "
        + ".theme-doc-version-banner, .theme-last-updated";

    private static readonly HashSet<string> InlineTags = new(StringComparer.Ordinal)
    {
        "a", "abbr", "b", "cite", "code", "del", "em", "i", "img", "ins", "kbd", "label", "mark", "q", "s", "small", "span", "strong",
        "sub", "sup", "time", "u",
    };

    private static readonly HashSet<string> TextBlockTags = new(StringComparer.Ordinal)
    {
        "p", "h1", "h5", "h6", "summary", "dt", "dd", "figcaption", "caption",
    };

    public BookPage Read(string pageUrl, string html)
    {
        var url = new Uri(pageUrl, UriKind.Absolute);
        var routePath = site.RoutePathOf(url);
        var canonicalUrl = routePath is null ? url.GetLeftPart(UriPartial.Path) : site.PageUrl(routePath);

        var document = new HtmlParser().ParseDocument(html);
        var root = document.QuerySelector(".theme-doc-markdown") ?? document.QuerySelector("article")
            ?? document.QuerySelector("main") ?? document.Body ?? document.DocumentElement;
        var sidebarLabel = NonEmpty(InlineText(document.QuerySelector("a.menu__link[aria-current='page']")));
        foreach (var noise in root.QuerySelectorAll(Noise).ToList())
        {
            noise.Remove();
        }

        var h1 = root.QuerySelector("h1");
        var title = NonEmpty(InlineText(h1)) ?? NonEmpty(document.Title?.Split(" | ")[0].Trim()) ?? routePath ?? url.AbsolutePath;
        h1?.Remove();

        var walker = new Walker(title);
        walker.Walk(root);
        return new BookPage(canonicalUrl, routePath ?? url.AbsolutePath, title, sidebarLabel, null, pageUrl, walker.Sections());
    }

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>Text as the browser shows it: whitespace collapsed, <c>br</c> as a line break, images by their alt text.</summary>
    private static string InlineText(INode? node)
    {
        if (node is null)
        {
            return "";
        }

        const char lineBreak = '\u2028';
        var raw = new StringBuilder();
        Append(node);
        var text = new StringBuilder();
        foreach (var c in raw.ToString())
        {
            if (c == lineBreak)
            {
                text.Append('\n');
            }
            else if (char.IsWhiteSpace(c))
            {
                if (text.Length > 0 && text[^1] is not (' ' or '\n'))
                {
                    text.Append(' ');
                }
            }
            else
            {
                text.Append(c);
            }
        }

        return string.Join('\n', text.ToString().Split('\n').Select(line => line.Trim())).Trim();

        void Append(INode current)
        {
            switch (current)
            {
                case IText textNode:
                    raw.Append(textNode.Data);
                    break;
                case IElement { LocalName: "br" }:
                    raw.Append(lineBreak);
                    break;
                case IElement { LocalName: "img" } image:
                    raw.Append(' ').Append(image.GetAttribute("alt")).Append(' ');
                    break;
                default:
                    foreach (var child in current.ChildNodes)
                    {
                        Append(child);
                    }

                    break;
            }
        }
    }

    private static (string Text, string Markdown) Code(IElement pre)
    {
        var tokenLines = pre.QuerySelectorAll(".token-line");
        var code = tokenLines.Length > 0
            ? string.Join('\n', tokenLines.Select(line => line.TextContent.TrimEnd('\n')))
            : pre.TextContent;
        code = code.Trim('\n');
        var language = Language(pre);
        return (MarkdownText.CodeText(language, code), $"```{language}\n{code}\n```");
    }

    /// <summary>The <c>language-xxx</c> class of the code block (on the <c>pre</c>, its <c>code</c> or a wrapper).</summary>
    private static string? Language(IElement pre)
    {
        IEnumerable<IElement?> candidates = [pre.QuerySelector("code"), pre, .. pre.Ancestors<IElement>().Take(3)];
        return candidates
            .SelectMany(e => e?.ClassList ?? Enumerable.Empty<string>())
            .Where(c => c.StartsWith("language-", StringComparison.Ordinal))
            .Select(c => c["language-".Length..])
            .FirstOrDefault();
    }

    private static string ListText(IElement list, int depth)
    {
        var ordered = list.LocalName == "ol";
        var number = int.TryParse(list.GetAttribute("start"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var start) ? start : 1;
        var indent = new string(' ', depth * 2);
        var lines = new List<string>();
        foreach (var item in list.Children.Where(c => c.LocalName == "li"))
        {
            var marker = ordered ? $"{number++}. " : "- ";
            var own = new StringBuilder();
            var nested = new List<string>();
            foreach (var child in item.ChildNodes)
            {
                switch (child)
                {
                    case IElement { LocalName: "ul" or "ol" } sublist:
                        nested.Add(ListText(sublist, depth + 1));
                        break;
                    case IElement { LocalName: "pre" } pre:
                        nested.Add(string.Join('\n', Code(pre).Text.Split('\n').Select(line => indent + "  " + line)));
                        break;
                    case IElement element when element.QuerySelector("pre") is { } pre:
                        nested.Add(string.Join('\n', Code(pre).Text.Split('\n').Select(line => indent + "  " + line)));
                        break;
                    default:
                        own.Append(' ').Append(InlineText(child));
                        break;
                }
            }

            lines.Add(indent + marker + own.ToString().Trim());
            lines.AddRange(nested);
        }

        return string.Join('\n', lines);
    }

    private static (string Text, string Markdown) Table(IElement table)
    {
        var rows = table.QuerySelectorAll("tr")
            .Select(row => row.Children.Where(c => c.LocalName is "th" or "td").Select(c => InlineText(c).Replace('\n', ' ')).ToList())
            .Where(cells => cells.Count > 0)
            .ToList();
        var text = string.Join('\n', rows.Select(cells => string.Join(" | ", cells)));
        var markdown = rows.Select(cells => "| " + string.Join(" | ", cells) + " |").ToList();
        if (rows.Count > 0)
        {
            markdown.Insert(1, "|" + string.Concat(Enumerable.Repeat(" --- |", rows[0].Count)));
        }

        return (text, string.Join('\n', markdown));
    }

    /// <summary>Walks the article in document order, cutting a new section at every <c>h2</c>–<c>h4</c>.</summary>
    private sealed class Walker(string title)
    {
        private readonly List<(string Heading, string Anchor, int Level, IReadOnlyList<string> TitlePath, List<(string Text, string Markdown)> Blocks)> sections =
            [(title, "", 1, [title], [])];

        private readonly HeadingSlugger slugger = new();
        private readonly List<(int Level, string Heading)> trail = [];
        private readonly StringBuilder loose = new();

        public void Walk(INode parent)
        {
            foreach (var node in parent.ChildNodes)
            {
                if (node is IText text)
                {
                    loose.Append(text.Data);
                    continue;
                }

                if (node is not IElement element)
                {
                    continue;
                }

                switch (element.LocalName)
                {
                    case "h2" or "h3" or "h4":
                        FlushLoose();
                        StartSection(element);
                        break;
                    case var tag when TextBlockTags.Contains(tag):
                        FlushLoose();
                        Add(InlineText(element));
                        break;
                    case "pre":
                        FlushLoose();
                        sections[^1].Blocks.Add(Code(element));
                        break;
                    case "ul" or "ol":
                        FlushLoose();
                        Add(ListText(element, 0));
                        break;
                    case "table":
                        FlushLoose();
                        sections[^1].Blocks.Add(Table(element));
                        break;
                    case var tag when InlineTags.Contains(tag) || tag == "br":
                        loose.Append(' ').Append(tag == "br" ? "\n" : InlineText(element)).Append(' ');
                        break;
                    default:
                        FlushLoose();
                        Walk(element);
                        FlushLoose();
                        break;
                }
            }
        }

        public List<PageSection> Sections()
        {
            FlushLoose();
            var result = new List<PageSection>();
            foreach (var (heading, anchor, level, titlePath, blocks) in sections)
            {
                if (anchor.Length == 0 && blocks.Count == 0)
                {
                    continue;
                }

                var headingLine = new string('#', level) + " " + heading + "\n\n";
                var sectionBlocks = blocks.Count == 0
                    ? [new SectionBlock("", headingLine)]
                    : blocks.Select((b, i) => new SectionBlock(b.Text, (i == 0 ? headingLine : "") + b.Markdown + "\n\n")).ToList();
                result.Add(new PageSection(
                    heading,
                    anchor,
                    level,
                    titlePath,
                    string.Join("\n\n", blocks.Select(b => b.Text)),
                    string.Concat(sectionBlocks.Select(b => b.Markdown)),
                    sectionBlocks));
            }

            return result;
        }

        private void StartSection(IElement heading)
        {
            var text = InlineText(heading);
            var level = heading.LocalName[1] - '0';
            var anchor = NonEmpty(heading.Id) ?? slugger.Slug(text);
            trail.RemoveAll(t => t.Level >= level);
            trail.Add((level, text));
            sections.Add((text, anchor, level, [title, .. trail.Select(t => t.Heading)], []));
        }

        private void Add(string text)
        {
            if (text.Length > 0)
            {
                sections[^1].Blocks.Add((text, text));
            }
        }

        private void FlushLoose()
        {
            var text = string.Join('\n', loose.ToString().Split('\n').Select(line => string.Join(' ', line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)))).Trim();
            loose.Clear();
            Add(text);
        }
    }
}
