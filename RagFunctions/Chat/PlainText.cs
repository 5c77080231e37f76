using System.Text.RegularExpressions;

namespace RagFunctions.Chat;

/// <summary>The frontend shows answers as plain text: Markdown syntax a model may still write is taken out, long text clipped.</summary>
internal static partial class PlainText
{
    public static string FromModel(string text)
    {
        var plain = Bold().Replace(text, "$2");
        plain = Heading().Replace(plain, "");
        plain = Bullet().Replace(plain, "• ");
        plain = InlineCode().Replace(plain, "$1");
        plain = Link().Replace(plain, "$1");
        return plain.Trim();
    }

    /// <summary>At most <paramref name="length"/> characters, with "…" where it was cut.</summary>
    public static string Clip(string text, int length) => text.Length <= length ? text : text[..length].TrimEnd() + "…";

    [GeneratedRegex(@"(\*\*|__)(.+?)\1")]
    private static partial Regex Bold();

    [GeneratedRegex(@"(?m)^\s{0,3}#{1,6}\s+")]
    private static partial Regex Heading();

    [GeneratedRegex(@"(?m)^\s*[-*+]\s+")]
    private static partial Regex Bullet();

    [GeneratedRegex(@"`([^`\n]+)`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"\[([^\]\n]+)\]\((?:https?://|/)[^)\s]*\)")]
    private static partial Regex Link();
}
