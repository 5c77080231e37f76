using System.Text.RegularExpressions;
using RagFunctions.Retrieval.Text;

namespace RagFunctions.Evaluation;

/// <summary>
/// What makes an answer's text noise to a reader, judged on the answer alone (not on how it was made): quiz options and
/// answer keys, exercises and review questions, diagram source, a table row without its header, a link list, or text that starts in the
/// middle of a sentence or with a pronoun pointing at nothing.
/// </summary>
internal static partial class NoisyAnswer
{
    private static readonly HashSet<string> Dangling = new(StringComparer.Ordinal) { "it", "they", "this", "these", "those", "them", "its" };

    private static readonly HashSet<string> MidSentence = new(StringComparer.Ordinal) { "and", "or", "but", "which", "that", "of", "to", "with", "for", "because", "while", "whereas" };

    public static IReadOnlyList<string> Reasons(string answer)
    {
        var text = Marker().Replace(answer, "").Trim();
        var reasons = new List<string>();
        if (text.Length == 0)
        {
            return reasons;
        }

        var lines = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        if (lines.Count(l => QuizOption().IsMatch(l)) >= 2 || AnswerKey().IsMatch(text))
        {
            reasons.Add("quiz");
        }

        // Review questions: two list items in a row that each ask ("1. Why use topics …?", "2. What happens if …?").
        if (Exercise().IsMatch(text) || lines.Zip(lines.Skip(1)).Any(p => AskingItem().IsMatch(p.First) && AskingItem().IsMatch(p.Second)))
        {
            reasons.Add("exercise");
        }

        // An HTML or XML comment's "-->" is no arrow ("<!-- prettier-ignore-end -->").
        var uncommented = XmlComment().Replace(text, "");
        if (Mermaid().IsMatch(uncommented) || text.Any(c => c is >= '\u2500' and <= '\u257F') || AsciiBox().IsMatch(uncommented))
        {
            reasons.Add("diagram");
        }

        // A table row: three cells or more, not a sentence (a shell pipe or a menu path "A | B | C." is not one, nor a code
        // comment, "# Topic: /chatter | Type: std_msgs/msg/String | Count: 452"),
        // alone: a header row with rows under it whose last cell is a sentence ("… | $249 | Capable of 40 TOPS.") is a table.
        var barred = lines.Select(l => CellBar().Count(l) >= 2 && !CodeComment().IsMatch(l)).ToArray();
        var rows = Enumerable.Range(0, lines.Length).Where(i => barred[i] && !".:!?".Contains(lines[i][^1])).ToArray();
        if (rows is [var row] && !(row > 0 && barred[row - 1]) && !(row + 1 < lines.Length && barred[row + 1]))
        {
            reasons.Add("table row");
        }

        // A command that takes an address ("git clone https://…", "pip install git+https://…") is no link.
        if (lines.Count(l => Url().IsMatch(l) && Url().Replace(l, "").Count(char.IsLetter) < 30 && !Command().IsMatch(l)) >= 3)
        {
            reasons.Add("link list");
        }

        var first = TextAnalyzer.Words(text).FirstOrDefault() ?? "";
        if (text.StartsWith('…') || text.StartsWith("...", StringComparison.Ordinal) || char.IsLower(text[0]) && MidSentence.Contains(first))
        {
            reasons.Add("starts mid-sentence");
        }
        else if (Dangling.Contains(first))
        {
            reasons.Add("starts with a dangling pronoun");
        }

        return reasons;
    }

    [GeneratedRegex(@"\s?\[\d+\]")]
    private static partial Regex Marker();

    [GeneratedRegex(@"<!--.*?-->")]
    private static partial Regex XmlComment();

    [GeneratedRegex(@"^(?:[-*•]\s*)?(?:\(?[a-dA-D]\)|[a-dA-D]\.)\s+\S")]
    private static partial Regex QuizOption();

    [GeneratedRegex(@"(?i)\bcorrect\s+answer\b|\banswer\s*(?:key)?\s*:\s*\(?[a-d]\b|\bquiz\b")]
    private static partial Regex AnswerKey();

    [GeneratedRegex(@"(?im)^\s*(?:exercise|task|challenge)\s*\d+\s*[:.]")]
    private static partial Regex Exercise();

    [GeneratedRegex(@"^(?:[-*•]|\d+[.)])\s+.*\?$")]
    private static partial Regex AskingItem();

    [GeneratedRegex(@"(?m)^\s*(?:graph|flowchart)\s+(?:TD|TB|LR|RL|BT)\b|sequenceDiagram|classDiagram|stateDiagram|\w\s*-->\s*\w|\]\s*-->")]
    private static partial Regex Mermaid();

    [GeneratedRegex(@"\+-{3,}|\|\s*-{3,}|-{3,}>")]
    private static partial Regex AsciiBox();

    /// <summary>A cell bar has a space or a line's end on one side, as a table row is written ("a | b | c", "|a|b|"); code's "(css|less)" and "||" are no cells.</summary>
    [GeneratedRegex(@"(?<![|\S])\|(?!\|)|(?<!\|)\|(?![|\S])")]
    private static partial Regex CellBar();

    [GeneratedRegex(@"^(?:#|//|--)\s")]
    private static partial Regex CodeComment();

    [GeneratedRegex(@"^[a-z][\w.-]*\s+(?!https?://)[^\s:]+\s")]
    private static partial Regex Command();

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex Url();
}
