using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using RagFunctions.Ingestion;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Ingestion;

/// <summary>The live-site reader against a small Docusaurus-like site on loopback.</summary>
public sealed class SitemapCrawlerTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sitemap_IsReadIntoPages_OnlyFromItsOwnHost_WithoutFollowingRedirectsElsewhere()
    {
        var requests = new List<string>();
        await using var site = await StartSiteAsync(requests);
        var sitemap = new Uri(site.Urls.First() + "/Book/sitemap.xml");
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?>
        {
            ["SITEMAP_URL"] = sitemap.AbsoluteUri,
            ["BOOK_BASE_URL"] = site.Urls.First() + "/Book/",
        });

        var pages = await app.Services.GetRequiredService<BookSource>().ReadSitemapAsync(sitemap, Cancel);

        var page = Assert.Single(pages.Pages);
        Assert.Equal("Nodes and Topics", page.Title);
        Assert.Contains(page.Sections, s => s.Anchor == "publishers" && s.Text.Contains("publisher sends", StringComparison.Ordinal));
        // The page that redirects to another host was asked for once and skipped; the blog is outside the docs route.
        Assert.Single(requests, "/Book/docs/moved");
        Assert.DoesNotContain(requests, r => r.Contains("blog", StringComparison.Ordinal) || r.Contains("elsewhere", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.20.0.1", true)]
    [InlineData("192.168.1.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("93.184.216.34", false)]
    [InlineData("2606:4700::1111", false)]
    public void PrivateLoopbackAndLinkLocalAddresses_AreLocal(string address, bool local)
        => Assert.Equal(local, SitemapCrawler.IsLocal(IPAddress.Parse(address)));

    private static async Task<WebApplication> StartSiteAsync(List<string> requests)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var site = builder.Build();
        site.Use((context, next) =>
        {
            lock (requests)
            {
                requests.Add(context.Request.Path);
            }

            return next(context);
        });
        site.MapGet("/Book/sitemap.xml", (HttpContext context) => Results.Text($"""
            <?xml version="1.0" encoding="UTF-8"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
              <url><loc>{Origin(context)}/Book/docs/nodes</loc></url>
              <url><loc>{Origin(context)}/Book/docs/moved</loc></url>
              <url><loc>{Origin(context)}/Book/blog/news</loc></url>
              <url><loc>https://other.example/Book/docs/elsewhere</loc></url>
            </urlset>
            """, "application/xml"));
        site.MapGet("/Book/docs/nodes", () => Results.Text("""
            <html><head><title>Nodes and Topics | Book</title></head><body>
            <nav>menu</nav>
            <main><article><div class="theme-doc-markdown markdown">
            <header><h1>Nodes and Topics</h1></header>
            <p>A node is a process that computes.</p>
            <h2 id="publishers">Publishers<a class="hash-link" href="#publishers">#</a></h2>
            <p>A publisher sends messages on a topic.</p>
            </div></article></main><footer>footer</footer></body></html>
            """, "text/html"));
        site.MapGet("/Book/docs/moved", () => Results.Redirect("https://other.example/Book/docs/elsewhere"));
        await site.StartAsync(Cancel);
        return site;
    }

    private static string Origin(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}";
}
