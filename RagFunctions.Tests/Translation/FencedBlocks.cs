using System.Text.RegularExpressions;

namespace RagFunctions.Tests.Translation;

/// <summary>
/// The fenced code blocks of a text, found line by line (a test's own reading, independent of the Markdown parser the app
/// uses): an opening fence of 3+ backticks or tildes, after indentation or <c>&gt;</c> markers, to a closing fence of the same
/// character at least as long, or to the end. Each block is returned with its fences and line endings.
/// </summary>
internal static partial class FencedBlocks
{
    public static IReadOnlyList<string> In(string text)
    {
        var blocks = new List<string>();
        var lines = text.Split('\n');
        (char Char, int Length, int Start)? open = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var fence = Fence().Match(lines[i]);
            if (open is null)
            {
                if (fence.Success && !(fence.Groups[1].Value[0] == '`' && fence.Groups[2].Value.Contains('`', StringComparison.Ordinal)))
                {
                    open = (fence.Groups[1].Value[0], fence.Groups[1].Length, i);
                }
            }
            else if (fence.Success && fence.Groups[1].Value[0] == open.Value.Char && fence.Groups[1].Length >= open.Value.Length
                     && fence.Groups[2].Value.Trim().Length == 0)
            {
                blocks.Add(string.Join('\n', lines[open.Value.Start..(i + 1)]));
                open = null;
            }
        }

        if (open is { } unclosed)
        {
            blocks.Add(string.Join('\n', lines[unclosed.Start..]));
        }

        return blocks;
    }

    [GeneratedRegex(@"^[ \t>]*(`{3,}|~{3,})(.*)$")]
    private static partial Regex Fence();
}
