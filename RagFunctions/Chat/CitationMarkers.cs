using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace RagFunctions.Chat;

/// <summary>A generated answer with <c>[n]</c> markers that number the documents it cites, in order of first use.</summary>
/// <param name="Cited">Indexes (from 0) into the documents given to the model, in the order of their marker numbers.</param>
/// <param name="Dropped">Citations left out because they named no acceptable document.</param>
internal sealed record MarkedAnswer(string Text, IReadOnlyList<int> Cited, int Dropped);

/// <summary>
/// Puts <c>[n]</c> markers into a model's answer: from citation spans when the provider returns them (Cohere),
/// else from the <c>[n]</c> markers the model wrote itself. Markers are renumbered to the cited documents only,
/// and citations of documents that are not given or not accepted (e.g. a URL missing from the index) are dropped.
/// </summary>
internal static partial class CitationMarkers
{
    public static MarkedAnswer FromSpans(
        string text, IReadOnlyList<(int Start, int End, IReadOnlyList<string> DocumentIds)> spans, IReadOnlyList<string> documentIds, Func<int, bool> accept)
    {
        if (spans.Count == 0)
        {
            return FromInlineMarkers(text, documentIds.Count, accept);
        }

        var dropped = 0;

        // Each span's documents go to the end of the sentence that holds it.
        var atBoundary = new SortedDictionary<int, List<int>>();
        foreach (var (_, end, ids) in spans)
        {
            var boundary = SentenceEnd(text, Math.Clamp(end, 0, text.Length));
            var list = atBoundary.TryGetValue(boundary, out var known) ? known : atBoundary[boundary] = [];
            foreach (var id in ids)
            {
                var index = IndexOf(documentIds, id);
                if (index < 0 || !accept(index))
                {
                    dropped++;
                }
                else if (!list.Contains(index))
                {
                    list.Add(index);
                }
            }
        }

        var cited = new List<int>();
        var output = new StringBuilder();
        var last = 0;
        foreach (var (boundary, documents) in atBoundary)
        {
            output.Append(text, last, boundary - last);
            last = boundary;
            foreach (var document in documents)
            {
                if (!cited.Contains(document))
                {
                    cited.Add(document);
                }

                output.Append(" [").Append(cited.IndexOf(document) + 1).Append(']');
            }
        }

        output.Append(text, last, text.Length - last);
        return new MarkedAnswer(output.ToString(), cited, dropped);
    }

    /// <summary>Keeps the model's own <c>[n]</c> markers that name a given document (1-based), renumbered by first use.</summary>
    public static MarkedAnswer FromInlineMarkers(string text, int documentCount, Func<int, bool> accept)
    {
        var cited = new List<int>();
        var dropped = 0;
        var result = Marker().Replace(text, match =>
        {
            var numbers = match.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var markers = new StringBuilder();
            foreach (var number in numbers)
            {
                if (!int.TryParse(number, out var n) || n < 1 || n > documentCount || !accept(n - 1))
                {
                    dropped++;
                }
                else
                {
                    if (!cited.Contains(n - 1))
                    {
                        cited.Add(n - 1);
                    }

                    markers.Append('[').Append(cited.IndexOf(n - 1) + 1).Append(']');
                }
            }

            return markers.ToString();
        });
        return new MarkedAnswer(SpaceBeforeMarker().Replace(result, " [").Replace(" .", ".", StringComparison.Ordinal), cited, dropped);
    }

    /// <summary>
    /// The answer without its <c>[n]</c> markers (and the space before each), for clients that show sources unnumbered;
    /// each citation keeps its words, at their offsets in the shorter text. <c>sources</c> keep their order.
    /// </summary>
    public static ChatAnswer WithoutMarkers(ChatAnswer answer)
    {
        var markers = AnswerMarker().Matches(answer.Answer);
        if (markers.Count == 0)
        {
            return answer;
        }

        int Shifted(int offset) => offset - markers.TakeWhile(m => m.Index < offset).Sum(m => m.Length);
        return answer with
        {
            Answer = Unmarked(answer.Answer),
            Citations = answer.Citations.Select(c => c with { Start = Shifted(c.Start), End = Shifted(c.End) }).ToList(),
        };
    }

    /// <summary>An answer's text without its <c>[n]</c> markers (and the space before each): the words it says.</summary>
    public static string Unmarked(string answer) => AnswerMarker().Replace(answer, "");

    /// <summary>The citation spans a chat client put on its text as <see cref="CitationAnnotation"/>s.</summary>
    public static IReadOnlyList<(int Start, int End, IReadOnlyList<string> DocumentIds)> Spans(IEnumerable<AIContent> contents)
    {
        var spans = new List<(int, int, IReadOnlyList<string>)>();
        foreach (var annotation in contents.SelectMany(c => c.Annotations ?? []).OfType<CitationAnnotation>())
        {
            var ids = DocumentIds(annotation);
            foreach (var region in annotation.AnnotatedRegions?.OfType<TextSpanAnnotatedRegion>() ?? [])
            {
                spans.Add((region.StartIndex ?? 0, region.EndIndex ?? 0, ids));
            }
        }

        return spans;
    }

    private static IReadOnlyList<string> DocumentIds(CitationAnnotation annotation)
    {
        if (annotation.AdditionalProperties?.TryGetValue("document_ids", out var value) == true)
        {
            return value switch
            {
                IEnumerable<string> many => many.ToArray(),
                string one => [one],
                _ => [],
            };
        }

        return annotation.FileId is { } id ? [id] : [];
    }

    private static int IndexOf(IReadOnlyList<string> ids, string id)
    {
        for (var i = 0; i < ids.Count; i++)
        {
            if (ids[i] == id)
            {
                return i;
            }
        }

        return -1;
    }

    private static int SentenceEnd(string text, int from)
    {
        for (var i = Math.Max(0, from - 1); i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                return i;
            }

            if (text[i] is '.' or '!' or '?' or '۔' && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1])))
            {
                return i + 1;
            }
        }

        return text.Length;
    }

    [GeneratedRegex(@"\[(\s*\d+(?:\s*,\s*\d+)*\s*)\]")]
    private static partial Regex Marker();

    /// <summary>
    /// A marker of an answer: <c>[n]</c> after a space or a line break (taken with it), or at the start or after another
    /// marker; never an index like <c>data[0]</c>. <see cref="MarkerFilter"/> removes the same from streamed text.
    /// </summary>
    [GeneratedRegex(@"(?:[ \n]|(?<=^|\s|\]))\[\d+\]")]
    private static partial Regex AnswerMarker();

    [GeneratedRegex(@"(?<=\S)\[")]
    private static partial Regex SpaceBeforeMarker();
}

/// <summary>
/// Takes <c>[n]</c> markers out of text that arrives in pieces (streamed tokens), by the same rule as
/// <see cref="CitationMarkers.WithoutMarkers"/>: a piece that may begin a marker is held back until it is known.
/// </summary>
internal sealed class MarkerFilter
{
    private readonly StringBuilder pending = new();
    private readonly StringBuilder output = new();
    private char previous = '\n';

    /// <summary>The text of <paramref name="piece"/> that can be passed on now (empty while a marker may be starting).</summary>
    public string Write(string piece)
    {
        foreach (var c in piece)
        {
            Next(c);
        }

        return Emit();
    }

    /// <summary>What is still held back: the text ended without completing a marker.</summary>
    public string Flush()
    {
        output.Append(pending);
        pending.Clear();
        return Emit();
    }

    private void Next(char c)
    {
        if (pending.Length == 0)
        {
            if (c is ' ' or '\n' || (c == '[' && (char.IsWhiteSpace(previous) || previous == ']')))
            {
                pending.Append(c);
            }
            else
            {
                output.Append(c);
            }
        }
        else if (pending is [' ' or '\n'] && c == '[')
        {
            pending.Append(c);
        }
        else if (pending[^1] is not (' ' or '\n') && char.IsAsciiDigit(c))
        {
            pending.Append(c);
        }
        else if (c == ']' && char.IsAsciiDigit(pending[^1]))
        {
            pending.Clear();
        }
        else
        {
            output.Append(pending);
            pending.Clear();
            previous = output[^1];
            Next(c);
            return;
        }

        previous = c;
    }

    private string Emit()
    {
        var text = output.ToString();
        output.Clear();
        return text;
    }
}
