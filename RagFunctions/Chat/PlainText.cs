using RagFunctions.Ingestion;

namespace RagFunctions.Chat;

/// <summary>
/// The frontend shows answers as plain text: Markdown a model still writes becomes plain text by the same rule as the
/// book's own text (<see cref="MarkdownText"/>: emphasis markers and link URLs out, list items and headings as lines, code
/// under a <c>Code (lang):</c> line); long text is clipped.
/// </summary>
internal static class PlainText
{
    public static string FromModel(string text) => MarkdownText.ToPlainText(text);

    /// <summary>At most <paramref name="length"/> characters, with "…" where it was cut.</summary>
    public static string Clip(string text, int length) => text.Length <= length ? text : text[..length].TrimEnd() + "…";
}
