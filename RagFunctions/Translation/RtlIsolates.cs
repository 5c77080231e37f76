using System.Text;
using System.Text.RegularExpressions;

namespace RagFunctions.Translation;

/// <summary>
/// Plain text that reads right in a right-to-left box. Client A shows translations and answers as plain text in a
/// <c>dir="rtl"</c> element with <c>white-space: pre-wrap</c>: there, a code line's trailing colon jumps to its front,
/// a path's leading <c>/</c> to its end, and an English term inside an Urdu sentence loses its order with the
/// punctuation around it. Each code line, each line without right-to-left letters (a command, a path, an English
/// sentence) and each run of left-to-right words inside a right-to-left sentence is wrapped in Unicode directional
/// isolates (U+2066 LEFT-TO-RIGHT ISOLATE … U+2069 POP DIRECTIONAL ISOLATE), so it is laid out left to right in place,
/// whatever surrounds it. Used only for output in a right-to-left language; Markdown stays clean.
/// </summary>
internal static partial class RtlIsolates
{
    public const char Lri = '\u2066';
    public const char Pdi = '\u2069';

    /// <summary>Every line of <paramref name="text"/> made safe (<see cref="Prose"/>).</summary>
    public static string Text(string text) => string.Join('\n', text.Split('\n').Select(Prose));

    /// <summary>A code line, isolated whole with its indentation; a blank line as it is.</summary>
    public static string Code(string line) => string.IsNullOrWhiteSpace(line) || IsIsolated(line) ? line : Lri + line + Pdi;

    /// <summary>
    /// A line of prose: without right-to-left letters, isolated whole (an English sentence, a command); otherwise each
    /// run of left-to-right words is isolated, its closing sentence punctuation (. , : ; ! ? and the Urdu ، ۔ ؟) left
    /// outside, where the right-to-left sentence puts it.
    /// </summary>
    public static string Prose(string line)
    {
        if (string.IsNullOrWhiteSpace(line) || line.Contains(Lri, StringComparison.Ordinal))
        {
            return line;
        }

        if (!line.Any(IsRtlLetter))
        {
            return Lri + line + Pdi;
        }

        var output = new StringBuilder(line.Length + 16);
        var tokens = Token().Matches(line).Select(m => m.Value).ToArray();
        for (var i = 0; i < tokens.Length;)
        {
            if (!IsLtrWord(tokens[i]))
            {
                output.Append(tokens[i++]);
                continue;
            }

            // A run: left-to-right words and the spaces between them, up to the last such word.
            var end = i;
            for (var j = i + 1; j < tokens.Length; j++)
            {
                if (IsLtrWord(tokens[j]))
                {
                    end = j;
                }
                else if (!string.IsNullOrWhiteSpace(tokens[j]))
                {
                    break;
                }
            }

            var run = string.Concat(tokens[i..(end + 1)]);
            var kept = run.TrimEnd(".,:;!?،۔؟".ToCharArray());
            kept = kept.Length == 0 ? run : kept;
            output.Append(Lri).Append(kept).Append(Pdi).Append(run.AsSpan(kept.Length));
            i = end + 1;
        }

        return output.ToString();
    }

    /// <summary>The text without isolates (for comparing with the source).</summary>
    public static string Without(string text) => text.Replace(Lri.ToString(), "", StringComparison.Ordinal).Replace(Pdi.ToString(), "", StringComparison.Ordinal);

    /// <summary>True for a letter of a right-to-left script (Arabic, with Urdu and Persian; Hebrew; Syriac; Thaana; N'Ko).</summary>
    public static bool IsRtlLetter(char c) => char.IsLetter(c) && c is >= '\u0590' and <= '\u08FF' or >= '\uFB1D' and <= '\uFDFF' or >= '\uFE70' and <= '\uFEFF';

    private static bool IsIsolated(string line) => line.StartsWith(Lri) && line.EndsWith(Pdi);

    /// <summary>A word to keep left to right: no right-to-left letter, and something besides punctuation (a <c>[1]</c> marker stays as it is).</summary>
    private static bool IsLtrWord(string token)
        => !string.IsNullOrWhiteSpace(token) && !token.Any(IsRtlLetter) && !Marker().IsMatch(token)
           && token.Any(c => char.IsLetterOrDigit(c) || "/\\_-~$=<>{}@#%&*+|^".Contains(c, StringComparison.Ordinal));

    [GeneratedRegex(@"\s+|\S+")]
    private static partial Regex Token();

    [GeneratedRegex(@"^\[\d+\][.,:;!?،۔؟]*$")]
    private static partial Regex Marker();
}
