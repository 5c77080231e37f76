using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.CustomContainers;
using Markdig.Extensions.Tables;
using Markdig.Extensions.TaskLists;
using Markdig.Parsers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace RagFunctions.Ingestion;

/// <summary>
/// Plain text from the Markdig syntax tree: link text without URLs, no emphasis markers, list items and table rows as lines
/// (cells joined by <c> | </c>), admonitions as a <c>Tip: Title</c> line then their content, code as a <c>Code (lang):</c> line
/// then the code, HTML entities and escaped entities decoded. The one rule for Markdown as plain text: the book's chunks,
/// the extractive answers' passages and a language model's answers all read through it.
/// </summary>
internal static partial class MarkdownText
{
    /// <summary>
    /// CommonMark plus what Docusaurus books use: pipe tables, strikethrough, task lists and <c>:::</c> admonitions.
    /// Like MDX, no indented code blocks.
    /// </summary>
    public static MarkdownPipeline Pipeline { get; } = CreatePipeline(indentedCode: false);

    /// <summary>
    /// <see cref="Pipeline"/> with CommonMark's indented code blocks: for finding everything that may be code (what a
    /// translation must leave alone), where taking indented text for code is the safe mistake.
    /// </summary>
    public static MarkdownPipeline PipelineWithIndentedCode { get; } = CreatePipeline(indentedCode: true);

    /// <summary>Plain text of a Markdown snippet (no MDX handling), blocks separated by a blank line.</summary>
    public static string ToPlainText(string markdown) =>
        string.Join("\n\n", Markdown.Parse(markdown, Pipeline).Select(Block).Where(t => t.Length > 0));

    /// <summary>The text of one block, trimmed.</summary>
    public static string Block(Block block) => Tidy(BlockText(block));

    /// <summary>The text of inline content (a heading's or a paragraph's).</summary>
    public static string Inline(ContainerInline? inline)
    {
        var text = new StringBuilder();
        AppendInlines(text, inline);
        return text.ToString().Trim();
    }

    /// <summary>How code reads in plain text: a <c>Code (python):</c> line, then the code.</summary>
    public static string CodeText(string? language, string code)
    {
        var header = string.IsNullOrWhiteSpace(language) ? "Code:" : $"Code ({language.Trim()}):";
        return header + "\n" + code.Trim('\n');
    }

    private static MarkdownPipeline CreatePipeline(bool indentedCode)
    {
        var builder = new MarkdownPipelineBuilder()
            .UsePipeTables()
            .UseEmphasisExtras()
            .UseTaskLists();

        // Only the block part of custom containers: the inline "::" form would eat C++ and ROS names like rclcpp::Node.
        builder.BlockParsers.InsertBefore<FencedCodeBlockParser>(new CustomContainerParser());
        if (!indentedCode)
        {
            builder.BlockParsers.TryRemove<IndentedCodeBlockParser>();
        }

        return builder.Build();
    }

    private static string BlockText(Block block) => block switch
    {
        HeadingBlock heading => Inline(heading.Inline),
        FencedCodeBlock fenced => CodeText(fenced.Info, fenced.Lines.ToString()),
        CodeBlock code => CodeText(null, code.Lines.ToString()),
        ParagraphBlock paragraph => Inline(paragraph.Inline),
        ListBlock list => ListText(list),
        Table table => string.Join('\n', table.OfType<TableRow>().Select(RowText)),
        CustomContainer container => AdmonitionText(container),
        HtmlBlock html => WebUtility.HtmlDecode(Tag().Replace(html.Lines.ToString(), " ")).Trim(),
        ThematicBreakBlock or LinkReferenceDefinitionGroup or LinkReferenceDefinition => "",
        ContainerBlock container => ChildrenText(container),
        LeafBlock leaf => leaf.Inline is not null ? Inline(leaf.Inline) : leaf.Lines.ToString(),
        _ => "",
    };

    private static string ChildrenText(ContainerBlock container) =>
        string.Join('\n', container.Select(BlockText).Select(t => t.Trim('\n')).Where(t => t.Length > 0));

    private static string ListText(ListBlock list)
    {
        var number = list.IsOrdered && int.TryParse(list.OrderedStart, NumberStyles.Integer, CultureInfo.InvariantCulture, out var start) ? start : 1;
        var lines = new List<string>();
        foreach (var item in list.OfType<ListItemBlock>())
        {
            var marker = list.IsOrdered ? $"{number++}. " : "- ";
            var itemLines = ChildrenText(item).Split('\n');
            lines.Add(marker + itemLines[0]);
            lines.AddRange(itemLines.Skip(1).Select(line => line.Length == 0 ? line : "  " + line));
        }

        return string.Join('\n', lines);
    }

    private static string RowText(TableRow row) =>
        string.Join(" | ", row.OfType<TableCell>().Select(cell => ChildrenText(cell).Replace('\n', ' ')));

    /// <summary><c>:::tip Title</c> (or <c>:::tip[Title]</c>) → <c>Tip: Title</c>, then the content.</summary>
    private static string AdmonitionText(CustomContainer container)
    {
        var kind = container.Info ?? "";
        var title = container.Arguments ?? "";
        var bracket = kind.IndexOf('[', StringComparison.Ordinal);
        if (bracket >= 0)
        {
            title = (kind[(bracket + 1)..].TrimEnd(']') + " " + title).Trim();
            kind = kind[..bracket];
        }

        var label = kind.Length == 0 ? "Note" : char.ToUpperInvariant(kind[0]) + kind[1..];
        var heading = title.Length == 0 ? label + ":" : $"{label}: {title}";
        var content = ChildrenText(container);
        return content.Length == 0 ? heading : heading + "\n" + content;
    }

    private static void AppendInlines(StringBuilder text, ContainerInline? container)
    {
        if (container is null)
        {
            return;
        }

        // Adjacent literals are decoded together (an escaped "\&lt;" arrives as "&" then "lt;"), and runs of spaces,
        // which the browser shows as one (and which blanked-out MDX tags leave behind), become one.
        var literals = new StringBuilder();
        foreach (var inline in container)
        {
            if (inline is LiteralInline literal)
            {
                literals.Append(literal.Content.AsSpan());
                continue;
            }

            FlushLiterals(text, literals);
            switch (inline)
            {
                case CodeInline code:
                    text.Append(code.Content);
                    break;
                case LineBreakInline:
                    text.Append('\n');
                    break;
                case HtmlEntityInline entity:
                    text.Append(entity.Transcoded.AsSpan());
                    break;
                case AutolinkInline autolink:
                    text.Append(autolink.Url);
                    break;
                case TaskList task:
                    text.Append(task.Checked ? "[x] " : "[ ] ");
                    break;
                case ContainerInline children:
                    AppendInlines(text, children);
                    break;
            }
        }

        FlushLiterals(text, literals);
    }

    private static void FlushLiterals(StringBuilder text, StringBuilder literals)
    {
        if (literals.Length > 0)
        {
            text.Append(Spaces().Replace(WebUtility.HtmlDecode(literals.ToString()), " "));
            literals.Clear();
        }
    }

    /// <summary>Trailing spaces off every line, at most one blank line in a row, no blank lines around.</summary>
    private static string Tidy(string text)
    {
        var lines = text.Split('\n').Select(line => line.TrimEnd());
        var tidy = new StringBuilder();
        var blank = false;
        foreach (var line in lines)
        {
            if (line.Length == 0)
            {
                blank = tidy.Length > 0;
                continue;
            }

            tidy.Append(blank ? "\n\n" : tidy.Length > 0 ? "\n" : "").Append(line);
            blank = false;
        }

        return tidy.ToString();
    }

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex("[ \t]{2,}")]
    private static partial Regex Spaces();
}
