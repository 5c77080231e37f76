using System.Text;

namespace RagFunctions.Ingestion;

/// <summary>
/// The MDX layer of a page body, taken out of the Markdown parser's way without moving anything.
/// <see cref="Masked"/> has the same length and line breaks as the body; blanked out are
/// <c>import</c>/<c>export</c> statements, <c>{/* comments */}</c> and other <c>{expressions}</c>, and JSX/HTML tags
/// with their attributes (the text between tags stays). Code fences and inline code are left alone.
/// Prose that only lives in JSX props or expressions is returned in <see cref="Texts"/>:
/// string values of two words or more (<c>specification: 'NVIDIA RTX 4070 Ti (12GB VRAM)'</c>) and labels or titles of any
/// length, template literals read as
/// Markdown, and a template literal inside a component with a <c>language</c> prop as code.
/// A fence line indented four spaces or more is a fence here, as in MDX (which has no indented code).
/// Kept whole (over 300 lines): it is one character scanner whose states (tags, braces, strings, fences) share one cursor.
/// </summary>
internal sealed class MdxSource
{
    private MdxSource(string masked, IReadOnlyList<(int Start, int End)> removed, IReadOnlyList<MdxText> texts)
    {
        Masked = masked;
        Removed = removed;
        Texts = texts;
    }

    /// <summary>The body with MDX syntax blanked out (same length, same line starts).</summary>
    public string Masked { get; }

    /// <summary>Whole lines of <c>import</c>/<c>export</c> statements, which are not part of the page's Markdown.</summary>
    public IReadOnlyList<(int Start, int End)> Removed { get; }

    /// <summary>Prose recovered from JSX props and expressions, at the position of its tag or expression.</summary>
    public IReadOnlyList<MdxText> Texts { get; }

    /// <param name="body">The page body.</param>
    /// <param name="mdxFences">
    /// Fences as MDX reads them (any indentation); false for a page the site reads as CommonMark, where a fence indented
    /// four spaces is indented code.
    /// </param>
    public static MdxSource Scan(string body, bool mdxFences = true) => new Scanner(body, mdxFences).Run();

    /// <summary>Prop and object keys whose strings are never prose.</summary>
    private static readonly HashSet<string> NotProseKeys = new(StringComparer.Ordinal)
    {
        "id", "key", "className", "class", "style", "href", "src", "to", "value", "groupId", "language", "type", "emojiPrefix",
    };

    /// <summary>Prop and object keys whose strings are prose even when they are a single word (a tab's label, say).</summary>
    private static readonly HashSet<string> ProseKeys = new(StringComparer.Ordinal)
    {
        "label", "title", "alt", "caption", "summary", "description", "heading",
    };

    private sealed record JsString(string Value, bool IsTemplate, string? Key);

    private sealed class Scanner(string s, bool mdxFences)
    {
        private readonly char[] masked = s.ToCharArray();
        private readonly List<(int Start, int End)> removed = [];
        private readonly List<MdxText> texts = [];
        private readonly List<(string Name, string? Language)> openComponents = [];

        public MdxSource Run()
        {
            var i = 0;
            var previousBlank = true;
            (char Char, int Count)? fence = null;
            while (i < s.Length)
            {
                var lineEnd = LineEnd(i);
                var line = s.AsSpan(i, lineEnd - i);
                if (fence is { } open)
                {
                    if (ClosesFence(line, open))
                    {
                        fence = null;
                        AlignFence(i, lineEnd);
                    }

                    i = lineEnd + 1;
                    previousBlank = false;
                    continue;
                }

                if (OpensFence(line) is { } opened)
                {
                    fence = opened;
                    AlignFence(i, lineEnd);
                    i = lineEnd + 1;
                    previousBlank = false;
                    continue;
                }

                if (previousBlank && IsEsmStart(line))
                {
                    var end = EsmEnd(i);
                    Mask(i, end);
                    removed.Add((i, end));
                    i = end;
                    continue;
                }

                var blank = line.IsWhiteSpace();
                i = ScanLine(i);
                previousBlank = blank;
            }

            RealignMaskedLines();
            return new MdxSource(new string(masked), removed, texts);
        }

        /// <summary>Scans inline content from <paramref name="i"/> to the end of its line (or further, when a tag spans lines).</summary>
        private int ScanLine(int i)
        {
            while (i < s.Length)
            {
                switch (s[i])
                {
                    case '\n':
                        return i + 1;
                    case '\\':
                        i += i + 1 < s.Length && s[i + 1] != '\n' ? 2 : 1;
                        break;
                    case '`':
                        i = SkipCodeSpan(i);
                        break;
                    case '<':
                        i = TryTag(i) is { } tagEnd ? tagEnd : i + 1;
                        break;
                    case '{':
                        i = TryExpression(i) is { } expressionEnd ? expressionEnd : i + 1;
                        break;
                    default:
                        i++;
                        break;
                }
            }

            return s.Length;
        }

        private int? TryTag(int start)
        {
            var j = start + 1;
            if (At(j, "!--"))
            {
                var close = s.IndexOf("-->", j, StringComparison.Ordinal);
                if (close < 0)
                {
                    return null;
                }

                Mask(start, close + 3);
                return close + 3;
            }

            var closing = At(j, "/");
            if (closing)
            {
                j++;
            }

            var nameStart = j;
            if (j < s.Length && char.IsAsciiLetter(s[j]))
            {
                while (j < s.Length && (char.IsAsciiLetterOrDigit(s[j]) || s[j] is '.' or '-' or '_'))
                {
                    j++;
                }
            }

            var name = s[nameStart..j];
            if (j >= s.Length || !(char.IsWhiteSpace(s[j]) || s[j] is '/' or '>') || (name.Length == 0 && s[j] != '>'))
            {
                return null;
            }

            var strings = new List<JsString>();
            string? language = null;
            var selfClosing = false;
            while (true)
            {
                j = SkipSpaces(j);
                if (j >= s.Length || At(j, "\n\n"))
                {
                    return null;
                }

                if (At(j, "/>"))
                {
                    selfClosing = true;
                    j += 2;
                    break;
                }

                if (s[j] == '>')
                {
                    j++;
                    break;
                }

                if (s[j] == '{')
                {
                    if (ScanExpression(j, strings, key: null) is not { } spreadEnd)
                    {
                        return null;
                    }

                    j = spreadEnd;
                    continue;
                }

                var attributeStart = j;
                while (j < s.Length && !char.IsWhiteSpace(s[j]) && s[j] is not ('=' or '>' or '/' or '{' or '"' or '\''))
                {
                    j++;
                }

                if (j == attributeStart)
                {
                    return null;
                }

                var attribute = s[attributeStart..j];
                j = SkipSpaces(j);
                if (j >= s.Length || s[j] != '=')
                {
                    continue;
                }

                j = SkipSpaces(j + 1);
                if (j >= s.Length)
                {
                    return null;
                }

                if (s[j] is '"' or '\'')
                {
                    var close = s.IndexOf(s[j], j + 1);
                    if (close < 0)
                    {
                        return null;
                    }

                    var value = s[(j + 1)..close];
                    strings.Add(new JsString(value, IsTemplate: false, attribute));
                    if (attribute == "language")
                    {
                        language = value;
                    }

                    j = close + 1;
                }
                else if (s[j] == '{')
                {
                    if (ScanExpression(j, strings, attribute) is not { } valueEnd)
                    {
                        return null;
                    }

                    j = valueEnd;
                }
                else
                {
                    while (j < s.Length && !char.IsWhiteSpace(s[j]) && s[j] != '>')
                    {
                        j++;
                    }
                }
            }

            Mask(start, j);
            AddProse(start, strings);
            TrackComponent(name, closing, selfClosing, language);
            return j;
        }

        private int? TryExpression(int start)
        {
            if (At(start + 1, "#") && ExplicitHeadingIdEnd(start) is { } idEnd)
            {
                return idEnd;
            }

            var strings = new List<JsString>();
            if (ScanExpression(start, strings, key: null) is not { } end)
            {
                return null;
            }

            Mask(start, end);
            var content = s[(start + 1)..(end - 1)].Trim();
            var language = openComponents.Count > 0 ? openComponents[^1].Language : null;
            if (language is not null && strings is [{ IsTemplate: true } code] && content.StartsWith('`') && content.EndsWith('`'))
            {
                texts.Add(new MdxText(start, MarkdownText.CodeText(language, code.Value)));
            }
            else
            {
                AddProse(start, strings);
            }

            return end;
        }

        /// <summary>
        /// Scans a JavaScript expression from its <c>{</c> to the matching <c>}</c>, collecting string literals with the
        /// object key they belong to. Returns the index after the <c>}</c>, or null when it does not close.
        /// </summary>
        private int? ScanExpression(int start, List<JsString> strings, string? key)
        {
            var depth = 0;
            var j = start;
            var currentKey = key;
            while (j < s.Length)
            {
                var c = s[j];
                if (c == '{')
                {
                    depth++;
                    j++;
                }
                else if (c == '}')
                {
                    depth--;
                    j++;
                    if (depth == 0)
                    {
                        return j;
                    }
                }
                else if (c is '\'' or '"')
                {
                    if (QuotedEnd(j) is not { } end)
                    {
                        return null;
                    }

                    strings.Add(new JsString(Unescape(s[(j + 1)..(end - 1)]), IsTemplate: false, currentKey));
                    currentKey = null;
                    j = end;
                }
                else if (c == '`')
                {
                    if (TemplateEnd(j) is not { } end)
                    {
                        return null;
                    }

                    strings.Add(new JsString(TemplateValue(j + 1, end - 1), IsTemplate: true, currentKey));
                    currentKey = null;
                    j = end;
                }
                else if (At(j, "/*"))
                {
                    var close = s.IndexOf("*/", j + 2, StringComparison.Ordinal);
                    if (close < 0)
                    {
                        return null;
                    }

                    j = close + 2;
                }
                else if (At(j, "//"))
                {
                    j = LineEnd(j);
                }
                else if (char.IsLetter(c) || c is '_' or '$')
                {
                    var identifierStart = j;
                    while (j < s.Length && (char.IsLetterOrDigit(s[j]) || s[j] is '_' or '$'))
                    {
                        j++;
                    }

                    var next = SkipSpaces(j);
                    if (next < s.Length && s[next] == ':')
                    {
                        currentKey = s[identifierStart..j];
                    }
                }
                else
                {
                    j++;
                }
            }

            return null;
        }

        private int? QuotedEnd(int start)
        {
            for (var j = start + 1; j < s.Length; j++)
            {
                if (s[j] == '\\')
                {
                    j++;
                }
                else if (s[j] == s[start])
                {
                    return j + 1;
                }
                else if (s[j] == '\n')
                {
                    return null;
                }
            }

            return null;
        }

        private int? TemplateEnd(int start)
        {
            for (var j = start + 1; j < s.Length; j++)
            {
                if (s[j] == '\\')
                {
                    j++;
                }
                else if (s[j] == '`')
                {
                    return j + 1;
                }
                else if (At(j, "${"))
                {
                    if (ScanExpression(j + 1, [], key: null) is not { } end)
                    {
                        return null;
                    }

                    j = end - 1;
                }
            }

            return null;
        }

        /// <summary>The cooked text of a template literal, with <c>${...}</c> parts left out.</summary>
        private string TemplateValue(int start, int end)
        {
            var raw = new StringBuilder();
            for (var j = start; j < end; j++)
            {
                if (s[j] == '\\' && j + 1 < end)
                {
                    raw.Append(s, j, 2);
                    j++;
                }
                else if (At(j, "${") && ScanExpression(j + 1, [], key: null) is { } close)
                {
                    j = close - 1;
                }
                else
                {
                    raw.Append(s[j]);
                }
            }

            return Unescape(raw.ToString());
        }

        private static string Unescape(string value)
        {
            if (!value.Contains('\\'))
            {
                return value;
            }

            var text = new StringBuilder(value.Length);
            for (var j = 0; j < value.Length; j++)
            {
                if (value[j] != '\\' || j + 1 == value.Length)
                {
                    text.Append(value[j]);
                    continue;
                }

                j++;
                text.Append(value[j] switch
                {
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    var other => other,
                });
            }

            return text.ToString();
        }

        private void AddProse(int position, List<JsString> strings)
        {
            var lines = strings
                .Where(IsProse)
                .Select(p => p.IsTemplate ? MarkdownText.ToPlainText(p.Value) : p.Value.Trim())
                .Where(t => t.Length > 0)
                .ToList();
            if (lines.Count > 0)
            {
                texts.Add(new MdxText(position, string.Join('\n', lines)));
            }
        }

        private static bool IsProse(JsString value) =>
            value.Value.Any(char.IsLetter)
            && (value.Key is not null && ProseKeys.Contains(value.Key)
                || (value.Key is null || !NotProseKeys.Contains(value.Key)) && value.Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length >= 2);

        /// <summary>Open components (capitalised names) are remembered for their <c>language</c> prop.</summary>
        private void TrackComponent(string name, bool closing, bool selfClosing, string? language)
        {
            if (name.Length == 0 || !char.IsAsciiLetterUpper(name[0]) || selfClosing)
            {
                return;
            }

            if (!closing)
            {
                openComponents.Add((name, language));
                return;
            }

            var index = openComponents.FindLastIndex(c => c.Name == name);
            if (index >= 0)
            {
                openComponents.RemoveRange(index, openComponents.Count - index);
            }
        }

        private int SkipCodeSpan(int start)
        {
            var run = 0;
            while (start + run < s.Length && s[start + run] == '`')
            {
                run++;
            }

            for (var j = start + run; j < s.Length; j++)
            {
                if (At(j, "\n\n"))
                {
                    break;
                }

                if (s[j] == '`')
                {
                    var closeRun = 0;
                    while (j + closeRun < s.Length && s[j + closeRun] == '`')
                    {
                        closeRun++;
                    }

                    if (closeRun == run)
                    {
                        return j + run;
                    }

                    j += closeRun - 1;
                }
            }

            return start + run;
        }

        private int? ExplicitHeadingIdEnd(int start)
        {
            var j = start + 2;
            while (j < s.Length && (char.IsAsciiLetterOrDigit(s[j]) || s[j] is '-' or '_'))
            {
                j++;
            }

            return j > start + 2 && j < s.Length && s[j] == '}' ? j + 1 : null;
        }

        private static (char Char, int Count)? OpensFence(ReadOnlySpan<char> line)
        {
            var text = line.TrimStart(" \t");
            if (text.Length < 3 || text[0] is not ('`' or '~'))
            {
                return null;
            }

            var count = 0;
            while (count < text.Length && text[count] == text[0])
            {
                count++;
            }

            return count >= 3 && !(text[0] == '`' && text[count..].Contains('`')) ? (text[0], count) : null;
        }

        private static bool ClosesFence(ReadOnlySpan<char> line, (char Char, int Count) fence)
        {
            var text = line.Trim(" \t\r");
            return text.Length >= fence.Count && !text.ContainsAnyExcept(fence.Char);
        }

        private static bool IsEsmStart(ReadOnlySpan<char> line) =>
            line.StartsWith("import ") || line.StartsWith("import{") || line.StartsWith("export ");

        /// <summary>An ESM block runs to the next blank line; the end includes the last line's line break.</summary>
        private int EsmEnd(int start)
        {
            var i = start;
            while (i < s.Length)
            {
                var lineEnd = LineEnd(i);
                if (s.AsSpan(i, lineEnd - i).IsWhiteSpace())
                {
                    return i;
                }

                i = Math.Min(s.Length, lineEnd + 1);
            }

            return s.Length;
        }

        private void Mask(int start, int end)
        {
            for (var j = start; j < end; j++)
            {
                if (masked[j] != '\n')
                {
                    masked[j] = ' ';
                }
            }
        }

        /// <summary>
        /// Where a tag at the start of a line was blanked, the text after it moves back to the line's own indentation
        /// (the spaces go to the end of the line), so that it does not turn into indented code.
        /// </summary>
        private void RealignMaskedLines()
        {
            for (var start = 0; start < s.Length; start = LineEnd(start) + 1)
            {
                var end = LineEnd(start);
                var indent = Indent(s.AsSpan(start, end - start));
                var maskedIndent = Indent(masked.AsSpan(start, end - start));
                if (maskedIndent <= indent || start + maskedIndent == end)
                {
                    continue;
                }

                var content = new string(masked, start + maskedIndent, end - start - maskedIndent);
                content.CopyTo(0, masked, start + indent, content.Length);
                Array.Fill(masked, ' ', start + indent + content.Length, maskedIndent - indent);
            }
        }

        /// <summary>
        /// MDX has no indented code, so a fence line indented four spaces or more still opens or closes a fence (an unclosed
        /// one swallows the headings after it, and the site has no anchor for them), where CommonMark reads indented code.
        /// The fence marker moves to three spaces of indentation in <see cref="Masked"/>, so the Markdown parser sees the
        /// fence MDX sees.
        /// </summary>
        private void AlignFence(int start, int end)
        {
            const int MaxFenceIndent = 3;
            var indent = Indent(s.AsSpan(start, end - start));
            if (!mdxFences || indent <= MaxFenceIndent || s.AsSpan(start, indent).Contains('\t'))
            {
                return;
            }

            var content = new string(masked, start + indent, end - start - indent);
            content.CopyTo(0, masked, start + MaxFenceIndent, content.Length);
            Array.Fill(masked, ' ', start + MaxFenceIndent + content.Length, indent - MaxFenceIndent);
        }

        private static int Indent(ReadOnlySpan<char> line) => line.Length - line.TrimStart(" \t").Length;

        private int LineEnd(int i)
        {
            var end = s.IndexOf('\n', i);
            return end < 0 ? s.Length : end;
        }

        private int SkipSpaces(int j)
        {
            while (j < s.Length && s[j] is ' ' or '\t' or '\n' or '\r' && !At(j, "\n\n"))
            {
                j++;
            }

            return j;
        }

        private bool At(int index, string text) =>
            index >= 0 && index + text.Length <= s.Length && string.CompareOrdinal(s, index, text, 0, text.Length) == 0;
    }
}

/// <summary>Prose found in MDX syntax, at its position in the page body.</summary>
internal readonly record struct MdxText(int Position, string Text);
