using Markdig.Extensions.Tables;
using Markdig.Syntax;

namespace RagFunctions.Translation;

/// <summary>
/// A page cut into sections a model translates comfortably, and the blank lines around them, kept as they were so that
/// <see cref="Join"/> of the sections untranslated gives the page back byte for byte.
/// </summary>
/// <param name="Sections">Each with content, without blank lines at either end.</param>
/// <param name="Gaps">What lies before each section and after the last (blank lines, line breaks): one more than the sections.</param>
internal sealed record TranslationSections(IReadOnlyList<string> Sections, IReadOnlyList<string> Gaps)
{
    /// <summary>
    /// Cuts <paramref name="markdown"/> only where the Markdown parser starts a block, into sections of up to
    /// <paramref name="maxChars"/>: never inside a code block, a table or a paragraph. A list, quote or admonition over the
    /// size is cut between its own blocks; a single longer block stays whole.
    /// </summary>
    public static TranslationSections Split(string markdown, int maxChars)
    {
        var cuts = new SortedSet<int> { 0 };
        AddCuts(MarkdownBlocks.Parse(markdown), markdown, maxChars, cuts);
        cuts.Add(markdown.Length);

        var sections = new List<string>();
        var gaps = new List<string>();
        var gapStart = 0;
        var pieceStart = 0;
        var previous = 0;
        foreach (var cut in cuts.Skip(1))
        {
            if (cut - pieceStart > maxChars && previous > pieceStart)
            {
                Add(pieceStart, previous);
                pieceStart = previous;
            }

            previous = cut;
        }

        Add(pieceStart, markdown.Length);
        gaps.Add(markdown[gapStart..]);
        return new TranslationSections(sections, gaps);

        void Add(int start, int end)
        {
            var (contentStart, contentEnd) = Content(markdown, start, end);
            if (contentStart < contentEnd)
            {
                gaps.Add(markdown[gapStart..contentStart]);
                sections.Add(markdown[contentStart..contentEnd]);
                gapStart = contentEnd;
            }
        }
    }

    /// <summary>The page again, with <paramref name="sections"/> (translated or not) in place of the sections.</summary>
    public string Join(IReadOnlyList<string> sections)
    {
        var page = new System.Text.StringBuilder(Gaps[0]);
        for (var i = 0; i < sections.Count; i++)
        {
            page.Append(sections[i]).Append(Gaps[i + 1]);
        }

        return page.ToString();
    }

    /// <summary>The line start of every block of <paramref name="container"/>, and inside a container block that is too long.</summary>
    private static void AddCuts(ContainerBlock container, string markdown, int maxChars, SortedSet<int> cuts)
    {
        foreach (var block in container)
        {
            cuts.Add(MarkdownBlocks.LineStart(markdown, block.Span.Start));
            if (block is ContainerBlock inner and not Table && block.Span.Length > maxChars)
            {
                AddCuts(inner, markdown, maxChars, cuts);
            }
        }
    }

    /// <summary>From the first line with content to its last non-space character; the blank lines around go to the gaps.</summary>
    private static (int Start, int End) Content(string markdown, int start, int end)
    {
        var contentStart = start;
        while (contentStart < end)
        {
            var lineEnd = markdown.IndexOf('\n', contentStart, end - contentStart);
            if (lineEnd < 0 || !markdown.AsSpan(contentStart, lineEnd - contentStart).IsWhiteSpace())
            {
                break;
            }

            contentStart = lineEnd + 1;
        }

        var contentEnd = end;
        while (contentEnd > contentStart && char.IsWhiteSpace(markdown[contentEnd - 1]))
        {
            contentEnd--;
        }

        return (contentStart, contentEnd);
    }
}
