using System.Text;
using System.Text.RegularExpressions;
using Markdig.Syntax;

namespace RagFunctions.Translation;

/// <summary>
/// Translated Markdown as client A shows it (plain, pre-wrapped): headings and list items as their own lines, code
/// blocks verbatim without their fences, links as their text, no Markdown or HTML syntax. For a right-to-left
/// language, code lines, commands, paths and English runs are wrapped in directional isolates (<see cref="RtlIsolates"/>)
/// so that client A's right-to-left box shows them left to right.
/// </summary>
internal static partial class TranslationPlainText
{
    public static string FromMarkdown(string markdown, bool rtl = false)
    {
        var text = FrontMatter().Replace(markdown.Replace("\r\n", "\n", StringComparison.Ordinal), "");
        var output = new StringBuilder();
        var lines = text.Split('\n');
        var kinds = LineKinds(text, lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (kinds[i] != LineKind.Text)
            {
                if (kinds[i] == LineKind.Code)
                {
                    output.Append(rtl ? RtlIsolates.Code(line) : line).Append('\n');
                }

                continue;
            }

            if (Skipped().IsMatch(line) || TableRule().IsMatch(line))
            {
                continue;
            }

            var plain = Inline(line);
            if (plain.Length == 0 && (output.Length == 0 || EndsWithBlankLine(output)))
            {
                // At most one blank line between blocks outside code (code keeps its own blank lines).
                continue;
            }

            output.Append(rtl ? RtlIsolates.Prose(plain) : plain).Append('\n');
        }

        return output.ToString().Trim('\n', ' ');
    }

    private enum LineKind
    {
        Text,
        Fence,
        Code,
    }

    /// <summary>Which lines are a code block's fences (left out) and its code (kept verbatim), as the Markdown parser sees them.</summary>
    private static LineKind[] LineKinds(string text, int lineCount)
    {
        var kinds = new LineKind[lineCount];
        foreach (var block in MarkdownBlocks.Parse(text).Descendants<CodeBlock>())
        {
            var first = text.AsSpan(0, block.Span.Start).Count('\n');
            var last = text.AsSpan(0, MarkdownBlocks.End(block) - 1).Count('\n');
            Array.Fill(kinds, LineKind.Code, first, last - first + 1);
            if (block is FencedCodeBlock fenced)
            {
                kinds[first] = LineKind.Fence;
                kinds[last] = fenced.ClosingFencedCharCount > 0 ? LineKind.Fence : kinds[last];
            }
        }

        return kinds;
    }

    private static bool EndsWithBlankLine(StringBuilder output)
        => output.Length >= 2 && output[^1] == '\n' && output[^2] == '\n';

    private static string Inline(string line)
    {
        var plain = Heading().Replace(line, "");
        plain = HeadingId().Replace(plain, "");
        plain = Admonition().Replace(plain, "");
        plain = Quote().Replace(plain, "");
        plain = Bullet().Replace(plain, "$1• ");
        plain = TableRow().Replace(plain, m => string.Join("  ", m.Groups[1].Value.Split('|').Select(c => c.Trim())));
        plain = Image().Replace(plain, "$1");
        plain = Link().Replace(plain, "$1");
        plain = HtmlTag().Replace(plain, "");
        plain = Strong().Replace(plain, "$2");
        plain = Emphasis().Replace(plain, "$1");
        plain = InlineCode().Replace(plain, "$2");
        return plain.TrimEnd();
    }

    [GeneratedRegex(@"\A---[ \t]*\n[\s\S]*?\n---[ \t]*(?:\n|\z)")]
    private static partial Regex FrontMatter();

    [GeneratedRegex(@"^\s*(?:(?:import|export)\s|:::\s*$|<!--.*-->\s*$)")]
    private static partial Regex Skipped();

    [GeneratedRegex(@"^\s{0,3}#{1,6}\s+")]
    private static partial Regex Heading();

    [GeneratedRegex(@"\s*\{#[^}\s]+\}")]
    private static partial Regex HeadingId();

    [GeneratedRegex(@"^\s*:::[\w-]*\s*")]
    private static partial Regex Admonition();

    [GeneratedRegex(@"^\s{0,3}(?:>\s?)+")]
    private static partial Regex Quote();

    [GeneratedRegex(@"^(\s*)[-*+]\s+")]
    private static partial Regex Bullet();

    [GeneratedRegex(@"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")]
    private static partial Regex TableRule();

    [GeneratedRegex(@"^\s*\|(.*)\|\s*$")]
    private static partial Regex TableRow();

    [GeneratedRegex(@"!\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex Image();

    [GeneratedRegex(@"\[([^\]\n]+)\](?:\([^)\n]*\)|\[[^\]\n]*\])")]
    private static partial Regex Link();

    [GeneratedRegex(@"</?[A-Za-z][^<>]*>")]
    private static partial Regex HtmlTag();

    [GeneratedRegex(@"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")]
    private static partial Regex Strong();

    [GeneratedRegex(@"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")]
    private static partial Regex Emphasis();

    [GeneratedRegex(@"(`+)([^`\n]+?)\1")]
    private static partial Regex InlineCode();
}
