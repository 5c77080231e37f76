using System.Text.RegularExpressions;

namespace RagFunctions.Chat;

/// <summary>
/// Code that reaches the answerer outside a fence: the pieces of a listing too long for one chunk (its end holds the
/// closing fence but not the opening one, its middle no fence at all), and lines of code a book left among its paragraphs.
/// Read as prose, code runs together on one line; these rules put a split listing's fence back, or keep the code out of
/// the pieces an answer may quote.
/// </summary>
internal static partial class StrayCode
{
    /// <summary>
    /// Lines of code read as a paragraph (the middle of a listing too long for one chunk, or code outside a fence):
    /// quoted as prose they would run together on one line, so they are not quoted at all.
    /// </summary>
    public static bool IsParagraphOfCode(string paragraph)
    {
        var lines = paragraph.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length >= 2 && lines.Count(l => CodeLine().IsMatch(l)) * 2 >= lines.Length;
    }

    /// <summary>
    /// A chunk's Markdown as it may be read for quoting, or null when there is nothing to quote: the middle of a listing
    /// longer than two chunks has no fence at all and is code from its first line to its last, and a piece of a program cut
    /// at both ends answers nothing on its own. A chunk that starts inside a listing holds the listing's end and its
    /// closing fence, but not its opening fence: read as it stands, its code would be paragraphs and the closing fence
    /// would open an empty listing; and the end of a listing is no listing to quote (a method's body from its middle,
    /// "    \"\"\"Handle navigation progress updates.\"\"\"", for "service or action?"). It is left out, up to its closing
    /// fence, when the fences do not pair up, the first is bare (a closing fence has no language), and the lines before it
    /// read as code (indented, or code by their shape); the section that holds the whole listing quotes it whole.
    /// </summary>
    public static string? Readable(string markdown)
    {
        var lines = markdown.Split('\n');
        var fences = Enumerable.Range(0, lines.Length).Where(i => Fence().IsMatch(lines[i])).ToArray();
        if (fences.Length == 0)
        {
            var text = lines.Where(l => l.Trim().Length > 0).ToArray();
            return text.Length >= 3 && text.Count(LooksLikeCodeLine) * 5 >= text.Length * 4 ? null : markdown;
        }

        if (fences.Length % 2 == 0 || Fence().Match(lines[fences[0]]) is not { } first || first.Groups["info"].Value.Trim().Length > 0)
        {
            return markdown;
        }

        var before = lines[..fences[0]].Where(l => l.Trim().Length > 0).ToArray();
        return before.Length > 0 && before.Count(LooksLikeCodeLine) * 2 >= before.Length ? string.Join('\n', lines[(fences[0] + 1)..]) : markdown;
    }

    /// <summary>
    /// The Markdown without the self-closing components written over several lines (<c>&lt;InstallationStep</c> on a
    /// line of its own, then <c>platforms={{ ubuntu: { instructions: `1. Navigate …`, commands: [ … ] } }}</c>, up to
    /// the line that closes the tag): they are JavaScript, which the site renders through the component. Read as
    /// Markdown, a list inside a template string would run on into the code after it ("5. Choose installation directory,
    /// commands: [ { emojiPrefix: …"). An element with children (its tag closed by ">") is left as it is, but a template
    /// string given as its child (<c>{`#!/usr/bin/env python3 …`}</c>, a listing) goes: its lines are code, though a
    /// docstring's list would read as Markdown. Anything inside a fence stays, as does a tag that never closes in the chunk.
    /// </summary>
    public static string WithoutComponentProperties(string markdown)
    {
        if (!markdown.Contains('<', StringComparison.Ordinal))
        {
            return markdown;
        }

        var kept = new List<string>();
        List<string>? tag = null;
        bool fenced = false, literal = false;
        foreach (var line in markdown.Split('\n'))
        {
            if (literal)
            {
                literal = !line.Contains("`}", StringComparison.Ordinal);
                continue;
            }

            if (tag is not null)
            {
                tag.Add(line);
                if (TagEnd().Match(line) is { Success: true } end)
                {
                    // Self-closing: all of it is properties. An element whose children follow is left as it was.
                    if (end.Groups["self"].Success is false)
                    {
                        kept.AddRange(tag);
                    }

                    tag = null;
                }

                continue;
            }

            if (Fence().IsMatch(line))
            {
                fenced = !fenced;
            }
            else if (!fenced && ComponentOpening().IsMatch(line))
            {
                tag = [line];
                continue;
            }
            else if (!fenced && line.TrimStart().StartsWith("{`", StringComparison.Ordinal))
            {
                literal = !line.TrimEnd().EndsWith("`}", StringComparison.Ordinal);
                continue;
            }

            kept.Add(line);
        }

        kept.AddRange(tag ?? []);
        return string.Join('\n', kept);
    }

    /// <summary>The fence lines (<c>```</c>, <c>~~~</c>) in a chunk's Markdown: an odd count means a listing runs on past its end, or began before it.</summary>
    public static int FenceCount(string markdown) => markdown.Split('\n').Count(l => Fence().IsMatch(l));

    /// <summary>Indented or code by its shape; never a list item, a tag or a heading (a nested list is indented too).</summary>
    private static bool LooksLikeCodeLine(string line)
        => line.Trim() is var trimmed && !ListOrMarkupLine().IsMatch(trimmed) && (char.IsWhiteSpace(line[0]) || CodeLine().IsMatch(trimmed));

    /// <summary>
    /// A line of code read as a sentence ("self.get_logger().info(f'Goal succeeded')", "def main(args=None):", "return result"):
    /// code by its shape, with code's punctuation or a return, and not opening like prose ("This will let us …").
    /// </summary>
    public static bool IsLineOfCode(string sentence)
        => CodeLine().IsMatch(sentence) && (sentence.AsSpan().IndexOfAny("(={[#/\"") >= 0 || sentence.StartsWith("return ", StringComparison.Ordinal))
           && !ProseOpening().IsMatch(sentence);

    [GeneratedRegex(@"^(?:[-*+]\s|\d+[.)]\s|<|\|)")]
    private static partial Regex ListOrMarkupLine();

    [GeneratedRegex(@"^[A-Z][a-z]+ [a-z]+ [a-z]+\b")]
    private static partial Regex ProseOpening();

    /// <summary>A component's tag name alone on its line: its properties follow on the lines after it.</summary>
    [GeneratedRegex(@"^\s*<[A-Z][\w.]*\s*$")]
    private static partial Regex ComponentOpening();

    /// <summary>The line that closes a tag: "/>" (self-closing) or ">" at its end, not an arrow ("=>", "->").</summary>
    [GeneratedRegex(@"(?<![=\-/])(?<self>/)?>\s*$")]
    private static partial Regex TagEnd();

    [GeneratedRegex(@"^ {0,3}(?<fence>`{3,}|~{3,})(?<info>[^`\r]*)\r?$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"^(?:import\s+[\w.]+(?:\s+as\s+\w+)?$|#\s|(?:if|elif|else|for|while|try|except|finally|with)\b.*:$|[\w.]+\(.*\)$|from\s+\S+\s+import\s|(?:async\s+)?def\s+\w+\(|class\s+\w+[:(]|return\b|#include|#!/|//|[{}\])]$|print\(|self\.\w+\s*=)|[;{]$|^[a-z_][\w.\[\]]*\s*[+\-*/]?=\s*\S")]
    private static partial Regex CodeLine();
}
