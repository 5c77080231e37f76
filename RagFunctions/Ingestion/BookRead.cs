namespace RagFunctions.Ingestion;

/// <summary>
/// What reading a book found: the pages to index (each knows what was repaired in it) and the files that are not
/// indexed, each with the reason an operator can read.
/// </summary>
internal sealed record BookRead(IReadOnlyList<BookPage> Pages, IReadOnlyList<SkippedFile> Skipped)
{
    public static BookRead Of(IReadOnlyList<BookPage> pages) => new(pages, []);
}

/// <summary>A source file that is not indexed, and why.</summary>
/// <param name="Path">The file relative to the docs folder (with <c>/</c>), or the page URL of a built page.</param>
/// <param name="Reason">Why, in words: a draft, a <c>_</c> partial, not a page, empty, or another file's URL.</param>
internal sealed record SkippedFile(string Path, string Reason);

/// <summary>The reasons a file is skipped, worded once.</summary>
internal static class SkipReasons
{
    public const string Draft = "draft (draft: true in the front matter; the published site leaves it out)";

    public const string Partial = "partial (a name starting with '_' is imported by pages, not published)";

    public const string NotAPage = "not a page (hidden file or folder)";

    public const string Empty = "empty (no text to index)";

    public static string SameUrl(string keptPath) => $"same URL as {keptPath} (the site serves one page per URL)";
}
