using Markdig;
using Markdig.Syntax;
using RagFunctions.Ingestion;

namespace RagFunctions.Translation;

/// <summary>
/// Markdown parsed the way the book reader parses a page (MDX tags and expressions blanked out, <c>:::</c> admonitions),
/// plus indented code: where a translation may cut a page and which spans are code. Any line ending, fence style, fence
/// length and nesting (lists, block quotes, admonitions, <c>&lt;details&gt;</c>) is the parser's business, not ours.
/// </summary>
internal static class MarkdownBlocks
{
    /// <summary>The syntax tree; its spans are offsets into <paramref name="markdown"/> (the MDX mask keeps every line start).</summary>
    public static MarkdownDocument Parse(string markdown)
        => Markdown.Parse(MdxSource.Scan(markdown).Masked, MarkdownText.PipelineWithIndentedCode);

    /// <summary>Every fenced or indented code block, fences included, as <c>[Start, End)</c> in document order.</summary>
    public static IEnumerable<(int Start, int End)> CodeSpans(MarkdownDocument document)
        => document.Descendants<CodeBlock>().Select(code => (code.Span.Start, End(code)));

    /// <summary>After the closing fence, or after the last line of a fence left open (whose span ends with its opening line).</summary>
    public static int End(CodeBlock code)
        => Math.Max(code.Span.End, code.Lines.Count > 0 ? code.Lines.Lines[code.Lines.Count - 1].Slice.End : 0) + 1;

    /// <summary>The start of the line that holds <paramref name="position"/>.</summary>
    public static int LineStart(string text, int position)
        => position <= 0 ? 0 : text.LastIndexOf('\n', Math.Min(position, text.Length) - 1) + 1;
}
