using System.Text;

namespace RagFunctions.Ingestion;

/// <summary>
/// Some authors' files hold the whole page as one line of an escaped string (<c># Title\n\nText…</c> with literal
/// <c>\n</c>): a page pasted from a JSON or JavaScript string. The site shows such a page as one long heading; read
/// as written it has a title and no body, so it is unescaped before reading.
/// </summary>
internal static class EscapedText
{
    /// <summary>
    /// True when <paramref name="text"/> is a single line (a trailing line break aside) holding at least two literal
    /// <c>\n</c> escapes.
    /// </summary>
    public static bool IsEscapedLine(string text)
    {
        var trimmed = text.AsSpan().Trim();
        return trimmed.Length > 0 && !trimmed.Contains('\n') && trimmed.IndexOf("\\n", StringComparison.Ordinal) >= 0
            && CountEscapedNewlines(trimmed) >= 2;
    }

    /// <summary>
    /// The string the line escaped: <c>\n</c>, <c>\r</c>, <c>\t</c>, <c>\"</c>, <c>\'</c>, <c>\\</c> become what they
    /// stand for (other backslashes stay), and quotes around the whole line go.
    /// </summary>
    public static string Unescape(string line)
    {
        var text = line.Trim();
        if (text.Length >= 2 && text[0] == text[^1] && text[0] is '"' or '\'')
        {
            text = text[1..^1];
        }

        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i + 1 == text.Length)
            {
                result.Append(text[i]);
                continue;
            }

            var next = text[i + 1];
            switch (next)
            {
                case 'n':
                    result.Append('\n');
                    break;
                case 'r':
                    break;
                case 't':
                    result.Append('\t');
                    break;
                case '"' or '\'' or '\\':
                    result.Append(next);
                    break;
                default:
                    result.Append('\\').Append(next);
                    break;
            }

            i++;
        }

        return result.ToString().ReplaceLineEndings("\n").TrimEnd() + "\n";
    }

    private static int CountEscapedNewlines(ReadOnlySpan<char> text)
    {
        var count = 0;
        for (var i = 0; i + 1 < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                if (text[i + 1] == 'n')
                {
                    count++;
                }

                i++;
            }
        }

        return count;
    }
}
