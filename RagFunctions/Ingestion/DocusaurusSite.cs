namespace RagFunctions.Ingestion;

/// <summary>Where a Docusaurus book is published: turns route paths and anchors into absolute URLs.</summary>
/// <param name="BaseUrl">Site URL plus base URL, e.g. <c>https://example.github.io/Book/</c>; a missing final slash is added.</param>
/// <param name="RouteBase">The docs plugin's <c>routeBasePath</c> (default <c>docs</c>; empty when the docs are the site root).</param>
internal sealed record DocusaurusSite(Uri BaseUrl, string RouteBase = "docs")
{
    public Uri BaseUrl { get; } = WithFinalSlash(BaseUrl);

    public string RouteBase { get; } = RouteBase.Trim('/');

    public DocusaurusSite(string baseUrl, string routeBase = "docs")
        : this(new Uri(baseUrl, UriKind.Absolute), routeBase)
    {
    }

    /// <summary>The absolute URL of the page at <paramref name="routePath"/> (<c>/</c> is the docs root), without trailing slash.</summary>
    public string PageUrl(string routePath)
    {
        var segments = $"{RouteBase}/{routePath}"
            .Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Select(Uri.EscapeDataString);
        return BaseUrl.AbsoluteUri + string.Join('/', segments);
    }

    /// <summary>The URL of a section: the page URL, plus <c>#anchor</c> when there is one.</summary>
    public static string SectionUrl(string pageUrl, string anchor) => anchor.Length == 0 ? pageUrl : pageUrl + "#" + anchor;

    /// <summary>The route path of a page URL of this site (query and fragment ignored), or null when the URL is outside the docs.</summary>
    public string? RoutePathOf(Uri pageUrl)
    {
        var docsRoot = BaseUrl.AbsoluteUri + RouteBase;
        var url = pageUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        if (!url.StartsWith(docsRoot.TrimEnd('/'), StringComparison.Ordinal))
        {
            return null;
        }

        var rest = url[docsRoot.TrimEnd('/').Length..];
        if (rest.Length > 0 && rest[0] != '/')
        {
            return null;
        }

        return "/" + Uri.UnescapeDataString(rest.Trim('/'));
    }

    private static Uri WithFinalSlash(Uri url)
    {
        if (!url.IsAbsoluteUri)
        {
            throw new ArgumentException($"The site base URL must be absolute: {url}", nameof(url));
        }

        var text = url.GetLeftPart(UriPartial.Path);
        return new Uri(text.EndsWith('/') ? text : text + "/");
    }
}
