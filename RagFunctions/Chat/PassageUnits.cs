using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.CustomContainers;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using RagFunctions.Ingestion;
using RagFunctions.Retrieval.Text;
using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Chat;

/// <summary>What a piece of a section is, as a reader sees it.</summary>
internal enum UnitKind
{
    Sentence,
    Item,
    List,
    Code,
    Table,
}

/// <summary>
/// A piece of a section an answer may quote: a sentence of a paragraph, a list item, a whole list, a code block
/// (byte for byte) or a table with its header row.
/// </summary>
/// <param name="Block">The block it belongs to, in reading order (sentences of one paragraph share it).</param>
/// <param name="Heading">The heading it sits under (a subsection's heading inside a chunk).</param>
internal sealed record PassageUnit(UnitKind Kind, string Text, int Block, string Heading, IReadOnlySet<string> Terms)
{
    /// <summary>The words of the heading it sits under, read once.</summary>
    public IReadOnlySet<string> HeadingTerms { get; } = TextAnalyzer.Terms(Heading).ToHashSet(StringComparer.Ordinal);

    public bool IsBlock => Kind is UnitKind.List or UnitKind.Code or UnitKind.Table;

    /// <summary>A sentence that ends with a colon introduces what follows it (a list, a command, a table).</summary>
    public bool Introduces => Kind is UnitKind.Sentence or UnitKind.Item && Text.EndsWith(':');

    public int Words => Kind == UnitKind.Code ? 0 : Text.Count(c => c == ' ') + 1;
}

/// <summary>
/// Reads a chunk's Markdown into the pieces an extractive answer may quote, and leaves out what no reader wants
/// quoted as an answer: quizzes, options and answer keys, exercises, "further reading" link lists, diagram source
/// (Mermaid, ASCII art), JSX and HTML, and sections whose heading says they are one of these.
/// </summary>
internal static partial class PassageUnits
{
    private const int MaxSentenceLength = 500;
    private const int MaxTableRows = 12;

    public static IReadOnlyList<PassageUnit> Read(BookChunk chunk)
    {
        if (chunk.TitlePath.Any(IsNoiseHeading))
        {
            return [];
        }

        var reader = new Reader(chunk.Heading);
        if (chunk.Markdown.Length == 0)
        {
            // Text only (a translated section): its paragraphs, the title path line left out.
            var path = string.Join(" › ", chunk.TitlePath);
            foreach (var paragraph in chunk.Text.Split("\n\n").Where(p => p.Trim() != path))
            {
                reader.Paragraph(paragraph.Replace('\n', ' '));
            }

            return reader.Units;
        }

        if (IsMiddleOfListing(chunk.Markdown))
        {
            return [];
        }

        reader.Blocks(Markdig.Markdown.Parse(WithSplitListingReopened(chunk.Markdown), MarkdownText.Pipeline));
        return reader.Units;
    }

    /// <summary>Quizzes, exercises, answer keys and reading lists: never an answer's source.</summary>
    public static bool IsNoiseHeading(string heading) => NoiseHeading().IsMatch(heading);

    private sealed class Reader(string heading)
    {
        private string heading = heading;
        private int block;
        private bool skipList;

        public List<PassageUnit> Units { get; } = [];

        public void Blocks(IEnumerable<Block> blocks)
        {
            foreach (var item in blocks)
            {
                if (item is not ListBlock and not ParagraphBlock)
                {
                    skipList = false;
                }

                switch (item)
                {
                    case HeadingBlock title:
                        heading = MarkdownText.Block(title);
                        break;
                    case ParagraphBlock paragraph:
                        Paragraph(MarkdownText.Block(paragraph));
                        break;
                    case ListBlock list:
                        List(list);
                        break;
                    case FencedCodeBlock code:
                        Code(code);
                        break;
                    case Table table:
                        TableUnit(table);
                        break;
                    case CustomContainer or QuoteBlock:
                        Blocks((ContainerBlock)item);
                        break;
                }

                block++;
            }
        }

        public void Paragraph(string text)
        {
            // "By the end of this lesson, you will be able to:" announces goals, not facts: it and its list are left out.
            if (Objectives().IsMatch(text))
            {
                skipList = true;
                return;
            }

            // "Goal: Master ROS 2 fundamentals …" states what a lesson aims at, not what it teaches.
            if (IsNoiseHeading(heading) || IsMarkup(text) || QuizLine().IsMatch(text) || GoalLine().IsMatch(text) || LooksLikeCode(text))
            {
                return;
            }

            // Rows of a table without its header (the end of a table too long for one chunk) say nothing on their own.
            var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (lines.All(l => l.StartsWith('|')))
            {
                return;
            }

            // "✅ Decoupling: …⏎✅ Modularity: …": lines that each open with a mark are a list written without list markers;
            // joined into sentences they would run on.
            if (lines.Length >= 2 && lines.All(OpensWithAMark))
            {
                if (text.Length <= 1500 && lines.Length <= 15)
                {
                    Add(UnitKind.List, string.Join('\n', lines));
                }

                foreach (var line in lines.Where(l => l.Length is >= 12 and <= MaxSentenceLength))
                {
                    Add(UnitKind.Item, line);
                }

                block++;
                return;
            }

            foreach (var sentence in Sentences(text.Replace('\n', ' ')))
            {
                if (IsCode(sentence))
                {
                    continue;
                }

                Add(UnitKind.Sentence, sentence);
            }

            block++;
        }

        private void List(ListBlock list)
        {
            if (skipList)
            {
                skipList = false;
                return;
            }

            // An item's lines run on as one, unless it holds code, which keeps its lines.
            var items = list.OfType<ListItemBlock>()
                .Select(i => WithoutPictures(MarkdownText.Block(i)) is var text && i.Descendants<FencedCodeBlock>().Any() ? text : text.Replace('\n', ' '))
                .Where(i => i.Length > 0).ToArray();
            if (IsNoiseHeading(heading) || items.Length == 0 || items.Count(i => QuizLine().IsMatch(i)) * 2 >= items.Length || IsLinkList(list))
            {
                return;
            }

            var text = WithoutPictures(MarkdownText.Block(list));
            if (text.Length <= 1500 && items.Length <= 15)
            {
                Add(UnitKind.List, text);
            }

            var marker = 1;
            foreach (var item in items)
            {
                var line = (list.IsOrdered ? $"{marker++}. " : "- ") + item;
                if (item.Length is >= 12 and <= MaxSentenceLength && !IsMarkup(item))
                {
                    Add(UnitKind.Item, line);
                }
            }
        }

        private void Code(FencedCodeBlock code)
        {
            var language = (code.Info ?? "").Trim().ToLowerInvariant();
            var text = code.Lines.ToString().TrimEnd();
            if (IsNoiseHeading(heading) || text.Length == 0 || language is "mermaid" or "dot" or "plantuml" || IsDiagram(text) || text.Split('\n').Length > 40)
            {
                return;
            }

            Add(UnitKind.Code, text);
        }

        private void TableUnit(Table table)
        {
            var rows = table.OfType<TableRow>().ToArray();
            if (IsNoiseHeading(heading) || rows.Length < 2 || rows.Length > MaxTableRows + 1)
            {
                return;
            }

            Add(UnitKind.Table, MarkdownText.Block(table));
        }

        private void Add(UnitKind kind, string text)
        {
            // Box drawing anywhere (a diagram drawn in a list item or a paragraph) is a picture, not an answer.
            if (text.Any(c => c is >= '\u2500' and <= '\u259F'))
            {
                return;
            }

            Units.Add(new PassageUnit(kind, text, block, heading, TextAnalyzer.Terms(text).ToHashSet(StringComparer.Ordinal)));
        }
    }

    /// <summary>A paragraph's sentences: ". " before a capital letter ends one; "e.g. x" and "v1.2" do not.</summary>
    public static IEnumerable<string> Sentences(string paragraph)
    {
        var line = paragraph.Trim();
        var start = 0;
        for (var i = 0; i < line.Length - 1; i++)
        {
            if (line[i] is '.' or '!' or '?' && line[i + 1] == ' ' && i + 2 < line.Length && (char.IsUpper(line[i + 2]) || char.IsDigit(line[i + 2]))
                && !Abbreviation().IsMatch(line[start..(i + 1)]))
            {
                if (Keep(line[start..(i + 1)].Trim()) is { } sentence)
                {
                    yield return sentence;
                }

                start = i + 2;
            }
        }

        if (start < line.Length && Keep(line[start..].Trim()) is { } last)
        {
            yield return last;
        }
    }

    private static string? Keep(string sentence)
        => sentence.Length is >= 12 and <= MaxSentenceLength && sentence.Any(char.IsLetter) && !QuizLine().IsMatch(sentence) ? sentence : null;

    /// <summary>
    /// A list's text without the lines that only name a picture file ("- static/img/step5.webp"), and without a label
    /// left with nothing under it ("- Photos:").
    /// </summary>
    private static string WithoutPictures(string list)
    {
        var all = list.Split('\n');
        var lines = all.Where(l => !PictureLine().IsMatch(l)).ToList();
        static int Indent(string line) => line.Length - line.TrimStart().Length;

        // Labels are dropped only where pictures were: elsewhere a label ending a list is the book's own.
        for (var i = lines.Count - 1; i >= 0 && lines.Count < all.Length; i--)
        {
            if (lines[i].TrimEnd().EndsWith(':') && (i + 1 == lines.Count || Indent(lines[i + 1]) <= Indent(lines[i])))
            {
                lines.RemoveAt(i);
            }
        }

        return string.Join('\n', lines).Trim('\n');
    }

    /// <summary>
    /// Lines of code read as a paragraph (the middle of a listing too long for one chunk, or code outside a fence):
    /// quoted as prose they would run together on one line, so they are not quoted at all.
    /// </summary>
    private static bool LooksLikeCode(string paragraph)
    {
        var lines = paragraph.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length >= 2 && lines.Count(l => CodeLine().IsMatch(l)) * 2 >= lines.Length;
    }

    /// <summary>
    /// A chunk that starts inside a listing too long for one chunk holds the listing's end and its closing fence, but not
    /// its opening fence: read as it stands, its code would be paragraphs and the closing fence would open an empty listing.
    /// The opening fence is put back when the fences do not pair up, the first is bare (a closing fence has no language),
    /// and the lines before it read as code (indented, or code by their shape).
    /// </summary>
    internal static string WithSplitListingReopened(string markdown)
    {
        var lines = markdown.Split('\n');
        var fences = Enumerable.Range(0, lines.Length).Where(i => Fence().IsMatch(lines[i])).ToArray();
        if (fences.Length % 2 == 0 || Fence().Match(lines[fences[0]]) is not { } first || first.Groups["info"].Value.Trim().Length > 0)
        {
            return markdown;
        }

        var before = lines[..fences[0]].Where(l => l.Trim().Length > 0).ToArray();
        return before.Length > 0 && before.Count(LooksLikeCodeLine) * 2 >= before.Length ? first.Groups["fence"].Value + "\n" + markdown : markdown;
    }

    /// <summary>
    /// The middle of a listing longer than two chunks: no fence at all, and code from its first line to its last. A piece
    /// of a program cut at both ends answers nothing on its own, and read as paragraphs it would be quoted as prose.
    /// </summary>
    internal static bool IsMiddleOfListing(string markdown)
    {
        var lines = markdown.Split('\n').Where(l => l.Trim().Length > 0).ToArray();
        return lines.Length >= 3 && !lines.Any(l => Fence().IsMatch(l)) && lines.Count(LooksLikeCodeLine) * 5 >= lines.Length * 4;
    }

    /// <summary>Indented or code by its shape; never a list item, a tag or a heading (a nested list is indented too).</summary>
    private static bool LooksLikeCodeLine(string line)
        => line.Trim() is var trimmed && !ListOrMarkupLine().IsMatch(trimmed) && (char.IsWhiteSpace(line[0]) || CodeLine().IsMatch(trimmed));

    /// <summary>
    /// A line of code read as a sentence ("self.get_logger().info(f'Goal succeeded')", "def main(args=None):", "return result"):
    /// code by its shape, with code's punctuation or a return, and not opening like prose ("This will let us …").
    /// </summary>
    private static bool IsCode(string sentence)
        => CodeLine().IsMatch(sentence) && (sentence.AsSpan().IndexOfAny("(={[#/\"") >= 0 || sentence.StartsWith("return ", StringComparison.Ordinal))
           && !ProseOpening().IsMatch(sentence);

    /// <summary>A line that opens with a mark (✅, ❌, •, →, an emoji) rather than a word.</summary>
    private static bool OpensWithAMark(string line)
        => line[0] > '\u007F' && (char.IsSurrogate(line[0]) || line[0] == '•'
                                   || char.GetUnicodeCategory(line[0]) is System.Globalization.UnicodeCategory.OtherSymbol or System.Globalization.UnicodeCategory.MathSymbol);

    /// <summary>JSX, HTML, MDX comments, imports, a JSX template literal ("{`…`}") and template tags ("{% raw %}") that survive as paragraph text.</summary>
    private static bool IsMarkup(string text)
    {
        var t = text.TrimStart();
        return t.StartsWith('<') || t.StartsWith("{/*", StringComparison.Ordinal) || t.StartsWith("import ", StringComparison.Ordinal)
               || t.StartsWith("export ", StringComparison.Ordinal) || t.StartsWith(":::", StringComparison.Ordinal)
               || t.StartsWith("{`", StringComparison.Ordinal) || t.StartsWith("{%", StringComparison.Ordinal);
    }

    /// <summary>A list most of whose items are only a link ("Further reading").</summary>
    private static bool IsLinkList(ListBlock list)
    {
        var items = list.OfType<ListItemBlock>().ToArray();
        var links = items.Count(i => i.Descendants<Markdig.Syntax.Inlines.LinkInline>().Any()
                                     && MarkdownText.Block(i).Length < 120);
        return items.Length >= 2 && links * 3 >= items.Length * 2;
    }

    /// <summary>Box drawing, arrows and ASCII frames: a picture, not code a reader would run.</summary>
    private static bool IsDiagram(string code)
    {
        if (code.Any(c => c is >= '\u2500' and <= '\u259F' or >= '\u2190' and <= '\u21FF' or >= '\u25A0' and <= '\u25FF'))
        {
            return true;
        }

        var lines = code.Split('\n');
        return lines.Count(l => AsciiFrame().IsMatch(l)) * 3 >= lines.Length;
    }

    [GeneratedRegex(@"^(?:[-*+]\s|\d+[.)]\s|<|\|)")]
    private static partial Regex ListOrMarkupLine();

    [GeneratedRegex(@"^[A-Z][a-z]+ [a-z]+ [a-z]+\b")]
    private static partial Regex ProseOpening();

    [GeneratedRegex(@"^ {0,3}(?<fence>`{3,}|~{3,})(?<info>[^`\r]*)\r?$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"^(?:import\s+[\w.]+(?:\s+as\s+\w+)?$|#\s|(?:if|elif|else|for|while|try|except|finally|with)\b.*:$|[\w.]+\(.*\)$|from\s+\S+\s+import\s|(?:async\s+)?def\s+\w+\(|class\s+\w+[:(]|return\b|#include|#!/|//|[{}\])]$|print\(|self\.\w+\s*=)|[;{]$|^[a-z_][\w.\[\]]*\s*[+\-*/]?=\s*\S")]
    private static partial Regex CodeLine();

    [GeneratedRegex(@"(?i)^\s*(?:(?:learning\s+)?(?:goals?|objectives?|outcomes?)|by\s+the\s+end\s+of\s+this\s+(?:lesson|chapter|section|module|guide|tutorial|page|course|unit|week|part))\s*[:,]")]
    private static partial Regex GoalLine();

    [GeneratedRegex(@"(?i)^\s*(?:[-*•]|\d+\.)?\s*\S+\.(?:webp|png|jpe?g|gif|svg|avif)\s*$")]
    private static partial Regex PictureLine();

    [GeneratedRegex(@"(?i)^.{0,80}\b(?:you\s+will|you'll|you\s+should)\s+(?:be\s+able\s+to|learn|understand|have\s+learned)\b.{0,60}:\s*$|^\s*by\s+the\s+end\s+of\s+this\s+\w+,?\s+you(?:\s+will|'ll|\s+should)\b.{0,60}:\s*$")]
    private static partial Regex Objectives();

    [GeneratedRegex(@"(?i)\b(?:learning\s+(?:objectives|outcomes|goals)|quiz|quizzes|exercises?|practice\s+(?:problems|questions)|review\s+questions|self[-\s]?(?:check|assessment)|check\s+your\s+understanding|test\s+your\s+knowledge|further\s+reading|references|bibliography|answer\s+key|knowledge\s+check|mcqs?)\b")]
    private static partial Regex NoiseHeading();

    [GeneratedRegex(@"(?i)^\s*(?:[-*•]\s*)?(?:\(?[a-d]\)|[a-d]\.\s|q\d+[:.)]|question\s+\d+|correct\s+answer|answer\s*:|\*\*answer)|\bcorrect\s+answer\b")]
    private static partial Regex QuizLine();

    [GeneratedRegex(@"(?i)(?:e\.g\.|i\.e\.|etc\.|vs\.|fig\.|no\.|approx\.|\b[A-Z]\.)$")]
    private static partial Regex Abbreviation();

    [GeneratedRegex(@"^\s*[+|].*[-=|+]{3,}|^\s*[|+\-=_/\\ ]{6,}$|-{2,}>|<-{2,}|\|\s+\|")]
    private static partial Regex AsciiFrame();
}
