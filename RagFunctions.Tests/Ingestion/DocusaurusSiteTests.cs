using RagFunctions.Ingestion;

namespace RagFunctions.Tests.Ingestion;

public sealed class DocusaurusSiteTests
{
    [Theory]
    [InlineData("https://example.github.io/Book/", "docs", "/intro", "https://example.github.io/Book/docs/intro")]
    [InlineData("https://example.github.io/Book", "docs", "/intro", "https://example.github.io/Book/docs/intro")]
    [InlineData("https://example.github.io/Book/", "docs", "/", "https://example.github.io/Book/docs")]
    [InlineData("https://example.github.io/Book/", "/docs/", "/a/b", "https://example.github.io/Book/docs/a/b")]
    [InlineData("https://example.github.io/Book/", "", "/", "https://example.github.io/Book/")]
    [InlineData("https://example.github.io/Book/", "", "/a", "https://example.github.io/Book/a")]
    [InlineData("https://book.dev/", "docs", "/guide/Getting Started", "https://book.dev/docs/guide/Getting%20Started")]
    public void PageUrl_JoinsBaseRouteAndPath_WithoutTrailingSlash(string baseUrl, string routeBase, string routePath, string expected)
    {
        Assert.Equal(expected, new DocusaurusSite(baseUrl, routeBase).PageUrl(routePath));
    }

    [Fact]
    public void BaseUrl_WithoutFinalSlash_GetsOne()
    {
        Assert.Equal("https://example.github.io/Book/", new DocusaurusSite(new Uri("https://example.github.io/Book")).BaseUrl.AbsoluteUri);
    }

    [Theory]
    [InlineData("https://book.dev/docs/intro", "", "https://book.dev/docs/intro")]
    [InlineData("https://book.dev/docs/intro", "qos", "https://book.dev/docs/intro#qos")]
    public void SectionUrl_AddsTheAnchorWhenThereIsOne(string pageUrl, string anchor, string expected)
    {
        Assert.Equal(expected, DocusaurusSite.SectionUrl(pageUrl, anchor));
    }

    [Theory]
    [InlineData("https://example.github.io/Book/docs/a/b", "/a/b")]
    [InlineData("https://example.github.io/Book/docs/a/b/#x", "/a/b")]
    [InlineData("https://example.github.io/Book/docs", "/")]
    [InlineData("https://example.github.io/Book/docs/", "/")]
    [InlineData("https://example.github.io/Book/blog/post", null)]
    [InlineData("https://example.github.io/Book/docsearch", null)]
    [InlineData("https://other.dev/Book/docs/a", null)]
    public void RoutePathOf_PageUrlsOfTheDocs_GiveTheirRoute(string url, string? expected)
    {
        var site = new DocusaurusSite("https://example.github.io/Book/");

        Assert.Equal(expected, site.RoutePathOf(new Uri(url)));
    }
}
