using System.Text;

namespace RagFunctions.Agents;

/// <summary>
/// <c>/llms.txt</c> and <c>/llms-full.txt</c> (the llmstxt.org format) from a <see cref="BookTextSnapshot"/>: the book's
/// title as the H1, a one-paragraph summary as the blockquote, a paragraph on how to read it, then one H2 per chapter
/// with a link list of its pages' Markdown and their one-line descriptions; the full file is every page's document in
/// reading order.
/// </summary>
internal static class LlmsText
{
    /// <summary>The heading of the pages at the top of the docs, before the chapters.</summary>
    public const string TopChapter = "Start here";

    /// <param name="origin">This server's scheme, host and port: the links point at its <c>/llms/….md</c> pages.</param>
    public static string Index(BookTextSnapshot book, string origin)
    {
        var text = new StringBuilder();
        text.Append("# ").Append(book.Title).Append("\n\n");
        text.Append("> ").Append(Summary(book)).Append("\n\n");
        text.Append("Each page below is the book's own Markdown (code blocks exactly as published). The whole book in one file is <")
            .Append(origin).Append("/llms-full.txt>. An MCP server (Streamable HTTP) at <").Append(origin)
            .Append("/mcp> searches the book, reads sections and answers questions with cited sources.\n");
        foreach (var chapter in book.Pages.GroupBy(p => p.Chapter))
        {
            text.Append("\n## ").Append(chapter.Key.Length == 0 ? TopChapter : chapter.Key).Append("\n\n");
            foreach (var page in chapter)
            {
                text.Append("- [").Append(LinkText(page.Title)).Append("](").Append(origin).Append(page.MarkdownPath).Append(')');
                if (page.Description.Length > 0)
                {
                    text.Append(": ").Append(page.Description);
                }

                text.Append('\n');
            }
        }

        return text.ToString();
    }

    public static string Full(BookTextSnapshot book)
    {
        var text = new StringBuilder();
        text.Append("# ").Append(book.Title).Append("\n\n> ").Append(Summary(book)).Append('\n');
        foreach (var page in book.Pages)
        {
            // Each page keeps its own H1: one document after another, in reading order.
            text.Append('\n').Append(page.Document());
        }

        return text.ToString();
    }

    private static string Summary(BookTextSnapshot book)
    {
        var chapters = book.Pages.Select(p => p.Chapter).Where(c => c.Length > 0).Distinct().ToArray();
        var summary = book.Summary.Length > 0 ? book.Summary + " " : "";
        return summary + $"The book has {book.Pages.Count} pages" + (chapters.Length > 0 ? $" in {chapters.Length} chapters ({string.Join(", ", chapters)})." : ".");
    }

    private static string LinkText(string title) => title.Replace("[", "\\[", StringComparison.Ordinal).Replace("]", "\\]", StringComparison.Ordinal);
}
