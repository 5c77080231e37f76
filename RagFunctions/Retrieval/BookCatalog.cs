using RagFunctions.Hosting;
using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Retrieval;

/// <summary>A page of the index as the catalog knows it: its sections' URLs are what a citation may point to.</summary>
internal sealed record CatalogPage(string PageUrl, string Title, string RoutePath, IReadOnlySet<string> SectionUrls);

/// <summary>Where the book is served: the site URL plus base URL, ending in '/' (registered by the ingestion, which reads it).</summary>
internal sealed record BookSite(Uri SiteUrl);

/// <summary>
/// What pages and headings the index holds, read from the store (one outline query and the stats) and kept for a short
/// while, so any instance (they share the store) can resolve a browser URL to a page and check that a cited anchor exists.
/// </summary>
internal sealed class BookCatalog(IVectorStore store, BookSite book, TimeProvider clock)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);
    private readonly CachedValue<Snapshot> snapshot = new();

    /// <summary>Forgets the snapshot (after an ingest on this instance).</summary>
    public void Invalidate() => snapshot.Forget();

    public async Task<IReadOnlyList<CatalogPage>> GetPagesAsync(CancellationToken cancellationToken)
        => (await GetAsync(cancellationToken)).Pages;

    /// <summary>
    /// The indexed page a browser URL shows, matched by its path under the book's base URL, whatever the host,
    /// trailing slash, query, fragment or locale prefix (<c>/ur/</c>); null when no page matches.
    /// </summary>
    public async Task<CatalogPage?> FindPageAsync(string? anyUrl, CancellationToken cancellationToken)
    {
        if (PageKey(anyUrl, book.SiteUrl) is not { } key)
        {
            return null;
        }

        var snapshot = await GetAsync(cancellationToken);
        if (snapshot.ByKey.TryGetValue(key, out var page))
        {
            return page;
        }

        // A locale prefix: /ur/docs/x → /docs/x (two letters, or like zh-Hans / pt-BR).
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && IsLocale(key[..slash]) && snapshot.ByKey.TryGetValue(key[(slash + 1)..], out page) ? page : null;
    }

    /// <summary>
    /// Which build of the index the snapshot saw (build time and chunk count): changes when the book is re-indexed,
    /// so caches keyed by it stop serving answers from the old book.
    /// </summary>
    public async Task<string> IndexVersionAsync(CancellationToken cancellationToken)
        => (await GetAsync(cancellationToken)).Version;

    /// <summary>True when <paramref name="url"/> is a page or section URL of the index.</summary>
    public async Task<bool> IsKnownUrlAsync(string url, CancellationToken cancellationToken)
    {
        var snapshot = await GetAsync(cancellationToken);
        return snapshot.Urls.Contains(url);
    }

    /// <summary>
    /// The path of a URL relative to the site's base path, lower-case, without slashes at either end;
    /// null when it is not an http(s) URL or a site-relative path.
    /// </summary>
    public static string? PageKey(string? anyUrl, Uri siteUrl)
    {
        if (string.IsNullOrWhiteSpace(anyUrl))
        {
            return null;
        }

        var text = anyUrl.Trim();
        Uri? uri;
        if (text.StartsWith('/'))
        {
            uri = new Uri(siteUrl, text);
        }
        else if (!Uri.TryCreate(text, UriKind.Absolute, out uri) || uri.Scheme is not ("http" or "https"))
        {
            return null;
        }

        var path = Uri.UnescapeDataString(uri.AbsolutePath).Trim('/').ToLowerInvariant();
        var basePath = siteUrl.AbsolutePath.Trim('/').ToLowerInvariant();
        if (basePath.Length > 0 && (path == basePath || path.StartsWith(basePath + "/", StringComparison.Ordinal)))
        {
            // Under the base URL, as the site serves it; a path outside it (another deployment's host) is kept as it is.
            path = path[basePath.Length..].TrimStart('/');
        }

        return path.Contains("..", StringComparison.Ordinal) ? null : path;
    }

    private static bool IsLocale(string segment)
        => segment.Length == 2 && segment.All(char.IsAsciiLetterLower)
           || segment.Length is >= 4 and <= 7 && segment[2] == '-' && segment[..2].All(char.IsAsciiLetterLower);

    private Task<Snapshot> GetAsync(CancellationToken cancellationToken)
        => snapshot.GetAsync(kept => clock.GetUtcNow() - kept.TakenAt < Lifetime, LoadAsync, cancellationToken);

    private async Task<Snapshot> LoadAsync(CancellationToken cancellationToken)
    {
        var stats = await store.GetStatsAsync(cancellationToken);
        var version = $"{stats.BuiltAt?.ToUnixTimeMilliseconds()}:{stats.Chunks}";
        var site = book.SiteUrl;
        var pages = (await store.GetOutlineAsync(cancellationToken))
            .Select(o => new CatalogPage(
                o.PageUrl, o.Title, PageKey(o.PageUrl, site) ?? "", o.SectionUrls.Append(o.PageUrl).ToHashSet(StringComparer.Ordinal)))
            .ToList();

        var byKey = new Dictionary<string, CatalogPage>(StringComparer.Ordinal);
        foreach (var page in pages)
        {
            byKey.TryAdd(page.RoutePath, page);
        }

        var all = pages.SelectMany(p => p.SectionUrls).ToHashSet(StringComparer.Ordinal);
        return new Snapshot(pages, byKey, all, version, clock.GetUtcNow());
    }

    private sealed record Snapshot(
        IReadOnlyList<CatalogPage> Pages,
        IReadOnlyDictionary<string, CatalogPage> ByKey,
        IReadOnlySet<string> Urls,
        string Version,
        DateTimeOffset TakenAt);
}
