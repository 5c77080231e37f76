using System.Text;

namespace RagFunctions.Translation;

/// <summary>Splits a page into sections a model translates comfortably, never inside a fenced code block.</summary>
internal static class TranslationSections
{
    public const string Separator = "\n\n";

    /// <summary>
    /// Each slice (a chunk's Markdown) is one section; a slice over <paramref name="maxChars"/> is cut at blank lines
    /// outside code fences into pieces of up to that size (a single longer paragraph or code block stays whole).
    /// </summary>
    public static IReadOnlyList<string> Split(IEnumerable<string> slices, int maxChars)
    {
        var sections = new List<string>();
        foreach (var slice in slices)
        {
            var text = slice.Trim('\n', '\r');
            if (text.Trim().Length == 0)
            {
                continue;
            }

            if (text.Length <= maxChars)
            {
                sections.Add(text);
                continue;
            }

            var piece = new StringBuilder();
            foreach (var block in Blocks(text))
            {
                if (piece.Length > 0 && piece.Length + Separator.Length + block.Length > maxChars)
                {
                    sections.Add(piece.ToString());
                    piece.Clear();
                }

                if (piece.Length > 0)
                {
                    piece.Append(Separator);
                }

                piece.Append(block);
            }

            if (piece.Length > 0)
            {
                sections.Add(piece.ToString());
            }
        }

        return sections;
    }

    public static string Join(IEnumerable<string> sections) => string.Join(Separator, sections);

    /// <summary>Paragraph-like blocks separated by blank lines; a fenced block (with its blank lines) is one block.</summary>
    private static IEnumerable<string> Blocks(string text)
    {
        var lines = text.Split('\n');
        var block = new List<string>();
        string? fence = null;
        foreach (var line in lines)
        {
            var trimmed = line.TrimStart();
            if (fence is null && (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal)))
            {
                fence = trimmed[..3];
            }
            else if (fence is not null && trimmed.StartsWith(fence, StringComparison.Ordinal))
            {
                fence = null;
            }

            if (fence is null && line.Trim().Length == 0)
            {
                if (block.Count > 0)
                {
                    yield return string.Join('\n', block);
                    block.Clear();
                }

                continue;
            }

            block.Add(line);
        }

        if (block.Count > 0)
        {
            yield return string.Join('\n', block);
        }
    }
}
