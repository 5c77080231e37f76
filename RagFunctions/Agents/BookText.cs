using System.Text;
using RagFunctions.Hosting;
using RagFunctions.Retrieval;
using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Agents;

/// <summary>A page of the book as agents read it: its chunks' Markdown in reading order, grouped under its chapter.</summary>
/// <param name="Key">The page's path under the site's base URL (<c>docs/ros2/communication</c>): its Markdown is at <c>/llms/{Key}.md</c>.</param>
/// <param name="Chapter">The folder the page is in under the docs route (<c>ros2</c>); empty for the pages at the top.</param>
/// <param name="Description">One line about the page: the first sentence of its opening text.</param>
internal sealed record BookTextPage(
    string PageUrl, string Title, string Key, string Chapter, string Description, IReadOnlyList<BookChunk> Chunks)
{
    /// <summary>The page's source, as the index holds it: its chunks' own slices in order (code blocks byte for byte).</summary>
    public string Markdown { get; } = string.Concat(Chunks.Select(c => c.Markdown));

    /// <summary>The path of the page's Markdown on this server.</summary>
    public string MarkdownPath => "/llms/" + Key + ".md";

    /// <summary>The page as one Markdown document: its title, its description, where it is published, then its source.</summary>
    public string Document()
    {
        var text = new StringBuilder();
        if (!Markdown.StartsWith("# ", StringComparison.Ordinal))
        {
            text.Append("# ").Append(Title).Append("\n\n");
        }

        if (Description.Length > 0)
        {
            text.Append("> ").Append(Description).Append("\n\n");
        }

        text.Append("Source: <").Append(PageUrl).Append(">\n\n");
        text.Append(Markdown.TrimEnd('\n')).Append('\n');
        return text.ToString();
    }
}

/// <summary>The whole book at one index version: its pages in reading order.</summary>
internal sealed record BookTextSnapshot(string Version, IReadOnlyList<BookTextPage> Pages)
{
    /// <summary>The book's title: the title of its first page (the docs' landing page).</summary>
    public string Title => Pages.Count > 0 ? Pages[0].Title : "The book";

    /// <summary>What the book is about, in a sentence: the first page's description.</summary>
    public string Summary => Pages.Count > 0 ? Pages[0].Description : "";

    public BookTextPage? FindByKey(string key) => Pages.FirstOrDefault(p => p.Key == key);
}

/// <summary>
/// The book's text for agents, read from the index (never from the docs folder or the live site, so every instance that
/// shares the store serves the same book): every page's chunks, read once per index version and kept until the index
/// changes. The MCP tools and resources, <c>/llms.txt</c>, <c>/llms-full.txt</c> and the per-page Markdown all read it.
/// </summary>
internal sealed class BookText(BookCatalog catalog, IVectorStore store)
{
    private readonly CachedValue<BookTextSnapshot> snapshot = new();

    public async Task<BookTextSnapshot> GetAsync(CancellationToken cancellationToken)
    {
        var version = await catalog.IndexVersionAsync(cancellationToken);
        return await snapshot.GetAsync(kept => kept.Version == version, ct => LoadAsync(version, ct), cancellationToken);
    }

    /// <summary>The indexed page a URL of the site shows (any host, trailing slash, fragment), or null.</summary>
    public async Task<BookTextPage?> FindPageAsync(string url, CancellationToken cancellationToken)
    {
        var page = await catalog.FindPageAsync(url, cancellationToken);
        return page is null ? null : (await GetAsync(cancellationToken)).Pages.FirstOrDefault(p => p.PageUrl == page.PageUrl);
    }

    private async Task<BookTextSnapshot> LoadAsync(string version, CancellationToken cancellationToken)
    {
        var catalogPages = await catalog.GetPagesAsync(cancellationToken);
        var pages = new List<BookTextPage>(catalogPages.Count);
        foreach (var page in catalogPages)
        {
            var chunks = await store.GetPageAsync(page.PageUrl, cancellationToken);
            if (chunks.Count > 0)
            {
                pages.Add(new BookTextPage(page.PageUrl, page.Title, page.RoutePath, "", Describe(chunks[0]), chunks));
            }
        }

        // Chapters are the folders under the docs route; the pages at the top of it come first.
        var common = CommonFolder(pages.Select(p => Folder(p.Key)).ToList());
        var ordered = pages
            .Select(p => p with { Chapter = Folder(p.Key).Length > common.Length ? Folder(p.Key)[common.Length..].TrimStart('/') : "" })
            .OrderBy(p => p.Chapter.Length == 0 ? 0 : 1)
            .ThenBy(p => p.Chapter, StringComparer.Ordinal)
            .ThenBy(p => p.Key, StringComparer.Ordinal)
            .ToArray();
        return new BookTextSnapshot(version, ordered);
    }

    private static string Folder(string key) => key.LastIndexOf('/') is var slash and > 0 ? key[..slash] : "";

    private static string CommonFolder(IReadOnlyList<string> folders)
    {
        if (folders.Count == 0)
        {
            return "";
        }

        var common = folders.MinBy(f => f.Length)!;
        while (common.Length > 0 && !folders.All(f => f == common || f.StartsWith(common + "/", StringComparison.Ordinal)))
        {
            common = Folder(common);
        }

        return common;
    }

    /// <summary>The first sentence of the page's opening text (its chunk's text starts with the title path line).</summary>
    private static string Describe(BookChunk lead)
    {
        var text = string.Join(' ', lead.Body.Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        var end = text.IndexOf(". ", StringComparison.Ordinal);
        var sentence = end > 0 ? text[..(end + 1)] : text;
        return sentence.Length <= 240 ? sentence : sentence[..239].TrimEnd() + "…";
    }
}
