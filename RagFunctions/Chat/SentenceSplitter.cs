using System.Text.RegularExpressions;

namespace RagFunctions.Chat;

/// <summary>Splits a paragraph into its sentences.</summary>
internal static partial class SentenceSplitter
{
    /// <summary>A paragraph's sentences: ". " before a capital letter ends one; "e.g. x" and "v1.2" do not.</summary>
    public static IEnumerable<string> Split(string paragraph)
    {
        var line = paragraph.Trim();
        var start = 0;
        for (var i = 0; i < line.Length - 1; i++)
        {
            if (line[i] is '.' or '!' or '?' && line[i + 1] == ' ' && i + 2 < line.Length && (char.IsUpper(line[i + 2]) || char.IsDigit(line[i + 2]))
                && !Abbreviation().IsMatch(line[start..(i + 1)]))
            {
                if (line[start..(i + 1)].Trim() is { Length: > 0 } sentence)
                {
                    yield return sentence;
                }

                start = i + 2;
            }
        }

        if (start < line.Length && line[start..].Trim() is { Length: > 0 } last)
        {
            yield return last;
        }
    }

    [GeneratedRegex(@"(?i)(?:e\.g\.|i\.e\.|etc\.|vs\.|fig\.|no\.|approx\.|\b[A-Z]\.)$")]
    private static partial Regex Abbreviation();
}
