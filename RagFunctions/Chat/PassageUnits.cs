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

    /// <summary>The first line: a table's header row ("Feature | Service | Action").</summary>
    public string FirstLine => Text.IndexOf('\n') is var end and >= 0 ? Text[..end] : Text;
}

/// <summary>
/// Reads a chunk's Markdown into the pieces an extractive answer may quote, and leaves out what no reader wants
/// quoted as an answer: quizzes, options and answer keys, exercises, "further reading" link lists, diagram source
/// (Mermaid, ASCII art), code the book shows as what not to do, JSX and HTML, every tab but the first of a page's tabs,
/// and sections whose heading says they are one of these.
/// Kept whole (over 300 lines): each rule for what a piece is, and what is left out, is read with the others it depends on.
/// </summary>
internal static partial class PassageUnits
{
    private const int MaxSentenceLength = 500;
    private const int MaxTableRows = 12;

    /// <summary>An item with fewer words than this besides its links only points elsewhere.</summary>
    private const int OwnWordsOfALink = 5;

    public static IReadOnlyList<PassageUnit> Read(BookChunk chunk)
    {
        if (IsNoiseSection(chunk))
        {
            return [];
        }

        var reader = new Reader(chunk.Heading);
        if (chunk.Markdown.Length == 0)
        {
            // Text only (a translated section): its paragraphs, the title path line left out.
            foreach (var paragraph in chunk.Body.Split(BookChunk.PartSeparator))
            {
                reader.Paragraph(paragraph.Replace('\n', ' '));
            }

            return reader.Units;
        }

        if (StrayCode.Readable(chunk.Markdown) is not { } markdown)
        {
            return [];
        }

        reader.Blocks(Markdig.Markdown.Parse(StrayCode.WithoutComponentProperties(markdown), MarkdownText.Pipeline));
        return reader.Units;
    }

    /// <summary>Quizzes, exercises, answer keys and reading lists: never an answer's source.</summary>
    public static bool IsNoiseHeading(string heading) => NoiseHeading().IsMatch(heading);

    /// <summary>A section under such a heading, its own or one above it: nothing in it is quoted, cited first or offered to read.</summary>
    public static bool IsNoiseSection(BookChunk chunk) => chunk.TitlePath.Any(IsNoiseHeading);

    /// <summary>
    /// A chapter's summary, key takeaways, "what you'll learn" or "next steps": it says again, or ahead, what other sections
    /// teach, in their words, and is found with them; the section that teaches answers better, unless the question asks
    /// for the recap by its name ("What are the next steps after week 3?").
    /// </summary>
    public static bool IsRecapSection(BookChunk chunk, string question) => RecapHeading().IsMatch(chunk.Heading) && !AsksForARecap().IsMatch(question);

    private sealed class Reader(string heading)
    {
        private string heading = heading;
        private int block;
        private bool skipList;
        private bool tabSeen;
        private bool otherTab;
        private int tabFence = -2;

        public List<PassageUnit> Units { get; } = [];

        public void Blocks(IEnumerable<Block> blocks)
        {
            foreach (var item in blocks)
            {
                // A page's tabs say one thing for each package manager or language: the first tab is quoted, not all of them run together.
                if (item is HtmlBlock html)
                {
                    Tabs(html.Lines.ToString());
                }

                if (otherTab)
                {
                    block++;
                    continue;
                }

                if (item is not ListBlock and not ParagraphBlock)
                {
                    skipList = false;
                }

                switch (item)
                {
                    // "Quality of Service {#qos}" is headed "Quality of Service": the {#id} only names its anchor.
                    case HeadingBlock title:
                        heading = HeadingSlugger.SplitExplicitId(MarkdownText.Block(title)).Text.Trim();
                        break;
                    // An italic quotation standing alone ("*"Nodes are the workers, topics are the broadcasts."*") is a
                    // chapter's motto, not what it teaches.
                    case ParagraphBlock paragraph when IsMotto(paragraph):
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

        private void Tabs(string html)
        {
            foreach (Match tag in TabTag().Matches(html))
            {
                switch (tag.Value)
                {
                    case "<Tabs" or "</Tabs":
                        tabSeen = otherTab = false;
                        break;
                    case "<TabItem":
                        otherTab = tabSeen;
                        tabSeen = true;
                        break;
                    case "</TabItem":
                        otherTab = false;
                        break;
                }
            }
        }

        public void Paragraph(string text)
        {
            // "By the end of this lesson, you will be able to:" announces goals, and "In this chapter, you learned:" or "To
            // summarize, we have learned to:" recalls them, not facts: it and its list are left out, also after a sentence
            // that leads up to it ("Congratulations on reaching the final chapter! You've learned:").
            if (Objectives().IsMatch(text) || SentenceSplitter.Split(text).LastOrDefault() is { } last && last != text && Objectives().IsMatch(last))
            {
                skipList = true;
                return;
            }

            // "Goal: Master ROS 2 fundamentals …" states what a lesson aims at, not what it teaches; "Next: Now that you
            // understand …, we'll explore Page 2 …" and "In the next lesson, we'll …" point to another page.
            if (IsNoiseHeading(heading) || IsMarkup(text) || QuizLine().IsMatch(text) || GoalLine().IsMatch(text) || NavigationLine().IsMatch(text)
                || StrayCode.IsParagraphOfCode(text))
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
                AddList(string.Join('\n', lines), [.. lines.Select(l => (l, l))]);
                block++;
                return;
            }

            foreach (var sentence in SentenceSplitter.Split(text.Replace('\n', ' ')).Select(Keep).OfType<string>())
            {
                if (StrayCode.IsLineOfCode(sentence))
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

            var items = list.OfType<ListItemBlock>().Select(ItemText).Where(i => i.Length > 0).ToArray();
            // A list of questions ("1. Why use topics instead of services for robot status?") asks; it answers nothing.
            if (IsNoiseHeading(heading) || items.Length == 0 || items.Count(i => QuizLine().IsMatch(i)) * 2 >= items.Length || IsLinkList(list)
                || items.Length >= 2 && items.All(i => i.TrimEnd().EndsWith('?')))
            {
                return;
            }

            var marker = 1;
            AddList(ListText(MarkdownText.Block(list)), [.. items.Select(item => (item, (list.IsOrdered ? $"{marker++}. " : "- ") + item))]);
        }

        /// <summary>
        /// An item's lines run on as one, unless it holds code, which keeps its lines. An item too long to quote as one line
        /// ("GPU: NVIDIA RTX 4070 Ti (12GB VRAM) or higher." with its "Why: …" and "Ideal: …" under it) is its own first paragraph.
        /// </summary>
        private static string ItemText(ListItemBlock item)
        {
            var text = ListText(MarkdownText.Block(item));
            if (item.Descendants<FencedCodeBlock>().Any())
            {
                return text;
            }

            text = text.Replace('\n', ' ');
            return text.Length > MaxSentenceLength && item.FirstOrDefault() is ParagraphBlock first
                   && ListText(MarkdownText.Block(first)).Replace('\n', ' ') is { Length: >= 12 } lead
                ? lead
                : text;
        }

        /// <summary>A list: whole when it is short enough to quote whole, and each item that says enough, as its line (with its mark).</summary>
        private void AddList(string text, IReadOnlyList<(string Item, string Line)> items)
        {
            if (text.Length <= 1500 && items.Count <= 15)
            {
                Add(UnitKind.List, text);
            }

            foreach (var (item, line) in items.Where(i => i.Item.Length is >= 12 and <= MaxSentenceLength && !IsMarkup(i.Item)))
            {
                Add(UnitKind.Item, line);
            }
        }

        private void Code(FencedCodeBlock code)
        {
            // Fences marked as tabs (```js tab title="jest.config.js" then ```ts tab …) show the same thing in two
            // languages, side by side on the site: the first is quoted.
            if (TabFence().IsMatch(code.Arguments ?? ""))
            {
                var followsATab = tabFence == block - 1;
                tabFence = block;
                if (followsATab)
                {
                    return;
                }
            }

            var language = (code.Info ?? "").Trim().ToLowerInvariant();
            var text = code.Lines.ToString().TrimEnd();
            if (IsNoiseHeading(heading) || text.Length == 0 || language is "mermaid" or "dot" or "plantuml" || IsDiagram(text) || IsCounterExample(text)
                || text.Split('\n').Length > 40)
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

    private static string? Keep(string sentence)
        => sentence.Length is >= 12 and <= MaxSentenceLength && sentence.Any(char.IsLetter) && !QuizLine().IsMatch(sentence) ? sentence : null;

    /// <summary>A list's (or an item's) text as a reader sees it: no picture files, and no checklist boxes ("- [ ] Speak clearly" → "- Speak clearly").</summary>
    private static string ListText(string list) => TaskBox().Replace(WithoutPictures(list), "$1");

    /// <summary>
    /// A list's text without the lines that only name a picture or video file ("- static/img/step5.webp", an author's
    /// asset list's "- Hero image: isaac-sim-hero.webp"), and without a label left with nothing under it ("- Photos:").
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

    private static bool IsMotto(ParagraphBlock paragraph)
        => paragraph.Inline?.FirstChild is Markdig.Syntax.Inlines.EmphasisInline { NextSibling: null } emphasis
           && MarkdownText.Block(paragraph).Trim() is var text && text.Length > 2
           && text[0] is '"' or '“' && text[^1] is '"' or '”' && emphasis.DelimiterCount == 1;

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

    /// <summary>
    /// A list most of whose items are only a link ("Further reading"): short, and fewer than <see cref="OwnWordsOfALink"/>
    /// words besides its links ("[ROS 2 docs](…) – official reference"). A list of projects, each a link and what it does
    /// ("[csharpier](…) is a port of Prettier for C#"), or of what to have ready ("An account for [npmjs.com](…) to
    /// publish the package"), says something.
    /// </summary>
    private static bool IsLinkList(ListBlock list)
    {
        var items = list.OfType<ListItemBlock>().ToArray();
        var links = items.Count(IsOnlyALink);
        return items.Length >= 2 && links * 3 >= items.Length * 2;
    }

    private static bool IsOnlyALink(ListItemBlock item)
    {
        var links = item.Descendants<Markdig.Syntax.Inlines.LinkInline>().ToArray();
        var text = MarkdownText.Block(item);
        var ownWords = TextAnalyzer.Words(text).Count() - links.Sum(l => TextAnalyzer.Words(MarkdownText.Inline(l)).Count());
        return links.Length > 0 && text.Length < 120 && ownWords < OwnWordsOfALink;
    }

    /// <summary>
    /// Code the book shows as what not to do: its first line a comment saying so ("// Don't do this!", "&lt;!-- WRONG --&gt;",
    /// "# Bad: batch processing"), and no comment in it marking the right way ("&lt;!-- CORRECT --&gt;", "# Good: …"). Quoted as
    /// an answer it would teach the mistake.
    /// </summary>
    private static bool IsCounterExample(string code)
        => WrongWay().IsMatch(code.TrimStart()) && !code.Split('\n').Any(line => RightWay().IsMatch(line));

    [GeneratedRegex(@"(?i)^(?://|#|<!--|/\*|--)\s*(?:❌|don'?t\b|do\s+not\b|wrong\b|bad\b|incorrect\b|avoid\b|anti-?pattern\b)")]
    private static partial Regex WrongWay();

    [GeneratedRegex(@"(?i)^\s*(?://|#|<!--|/\*|--)\s*(?:✅|correct|right\b|good\b|better\b|fix|instead\b|do\s+this\b)")]
    private static partial Regex RightWay();

    /// <summary>
    /// Box drawing, arrows and ASCII frames on a third of the lines or more: a picture, not code a reader would run. An
    /// arrow in a comment ("# Latency: 16ms → 6ms") does not make a program a picture, nor does an XML comment's "--&gt;"
    /// make a URDF listing one.
    /// </summary>
    private static bool IsDiagram(string code)
    {
        var lines = code.Split('\n');
        return lines.Count(l => l.Any(IsDrawing) || AsciiFrame().IsMatch(XmlComment().Replace(l, ""))) * 3 >= lines.Length;
    }

    private static bool IsDrawing(char c) => c is >= '\u2500' and <= '\u259F' or >= '\u2190' and <= '\u21FF' or >= '\u25A0' and <= '\u25FF';

    [GeneratedRegex(@"<!--.*?-->")]
    private static partial Regex XmlComment();

    [GeneratedRegex(@"(?i)^\s*(?:(?:learning\s+)?(?:goals?|objectives?|outcomes?)|by\s+the\s+end\s+of\s+this\s+(?:lesson|chapter|section|module|guide|tutorial|page|course|unit|week|part))\s*[:,]")]
    private static partial Regex GoalLine();

    [GeneratedRegex(@"(?i)^\s*(?:next|up\s+next|coming\s+up|what'?s\s+next)\s*:|^\s*in\s+the\s+next\s+(?:page|chapter|section|lesson|module|week|part|unit)\b")]
    private static partial Regex NavigationLine();

    [GeneratedRegex(@"(?i)^\s*(?:[-*•]|\d+\.)?\s*(?:[^:\n]{1,40}:\s*)?\S+\.(?:webp|png|jpe?g|gif|svg|avif|mp4|webm|mov)\s*$")]
    private static partial Regex PictureLine();

    [GeneratedRegex(@"(?i)^.{0,80}\b(?:you\s+will|you'll|you\s+should)\s+(?:be\s+able\s+to|learn|understand|have\s+learned)\b.{0,60}:\s*$|^\s*by\s+the\s+end\s+of\s+this\s+\w+,?\s+you(?:\s+will|'ll|\s+should)\b.{0,60}:\s*$|^\s*in\s+this\s+(?:chapter|guide|lesson|module|section|tutorial),?\s+you(?:\s+learned|'ve\s+learned|\s+have\s+learned)?\s*:\s*$|^\s*(?:(?:to\s+(?:summari[sz]e|recap|sum\s+up)|in\s+summary|in\s+short|so\s+far),?\s+)?(?:we|you)(?:'ve|\s+have)?\s+(?:learned|learnt|covered|seen)\b.{0,40}:\s*$")]
    private static partial Regex Objectives();

    [GeneratedRegex(@"(?m)^(\s*(?:[-*+•]\s+|\d+[.)]\s+)?)\[[ xX]\]\s+")]
    private static partial Regex TaskBox();

    [GeneratedRegex(@"</?(?:TabItem|Tabs)\b")]
    private static partial Regex TabTag();

    [GeneratedRegex(@"(?:^|\s)tab(?:\s|=|$)")]
    private static partial Regex TabFence();

    [GeneratedRegex(@"(?i)^\s*(?:(?:lab|lesson|chapter|module|week|page)\s+)?(?:objectives?|goals?|outcomes?)\s*$|\b(?:learning\s+(?:objectives|outcomes|goals)|quiz|quizzes|exercises?|practice\s+(?:problems|questions)|review\s+questions|self[-\s]?(?:check|assessment)|check\s+your\s+understanding|test\s+your\s+knowledge|further\s+reading|references|bibliography|answer\s+key|knowledge\s+check|mcqs?|(?:reflection|discussion|study|comprehension)\s+questions)\b")]
    private static partial Regex NoiseHeading();

    [GeneratedRegex(@"(?i)^\W*(?:(?:\d+(?:\.\d+)*\.?|(?:module|chapter|lesson|week|part|unit)\s+\d+(?:\.\d+)*\s*[:.\-–—]?)\s*)?(?:(?:chapter|module|lesson|week)\s+)?(?:summary|recap|key\s+(?:takeaways?|points)|takeaways|what\s+you(?:'|’)?ll\s+learn|what\s+you(?:'|’)?ve\s+learned|next\s+steps|what(?:'|’)?s\s+next)\b")]
    private static partial Regex RecapHeading();

    [GeneratedRegex(@"(?i)\b(?:summary|summari[sz]e|recap|takeaways?|next\s+steps?|what(?:'|’)?s\s+next|what\s+(?:will\s+)?(?:i|you)(?:'|’)?(?:ll)?\s+learn)\b")]
    private static partial Regex AsksForARecap();

    [GeneratedRegex(@"(?i)^\s*(?:[-*•]\s*)?(?:\(?[a-d]\)|[a-d]\.\s|q\d+[:.)]|question\s+\d+|correct\s+answer|answer\s*:|\*\*answer)|\bcorrect\s+answer\b")]
    private static partial Regex QuizLine();

    [GeneratedRegex(@"^\s*[+|].*[-=|+]{3,}|^\s*[|+\-=_/\\ ]{6,}$|-{2,}>|<-{2,}|\|\s+\|")]
    private static partial Regex AsciiFrame();
}
