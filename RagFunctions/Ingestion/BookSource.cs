using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RagFunctions.Ingestion;

/// <summary>Where pages come from: a docs folder (Markdown/MDX) or the live site through its sitemap (HTML).</summary>
internal sealed class BookSource(IOptions<BookOptions> book, SitemapCrawler crawler, ILoggerFactory loggers)
{
    public DocusaurusSite Site { get; } = new(book.Value.SiteUrl, book.Value.Route);

    public Task<BookRead> ReadFolderAsync(string folder, CancellationToken cancellationToken)
        => new MarkdownBookReader(Site, loggers.CreateLogger<MarkdownBookReader>()).ReadBookAsync(folder, cancellationToken);

    /// <summary>The sitemap's pages under the docs route, read from their HTML.</summary>
    public async Task<BookRead> ReadSitemapAsync(Uri sitemap, CancellationToken cancellationToken)
    {
        var prefix = new Uri(sitemap, Site.BaseUrl.AbsolutePath).AbsolutePath.TrimEnd('/') + "/" + Site.RouteBase;
        var fetched = await crawler.CrawlAsync(sitemap, prefix, cancellationToken);
        var reader = new HtmlPageReader(Site);
        var pages = fetched.Select(page => reader.Read(page.Url.AbsoluteUri, page.Html)).ToList();
        return new BookRead(
            [.. pages.Where(MarkdownBookReader.HasText)],
            [.. pages.Where(page => !MarkdownBookReader.HasText(page)).Select(page => new SkippedFile(page.SourcePath, SkipReasons.Empty))]);
    }
}
