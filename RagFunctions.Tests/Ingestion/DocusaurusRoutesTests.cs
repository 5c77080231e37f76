using RagFunctions.Ingestion;

namespace RagFunctions.Tests.Ingestion;

public sealed class DocusaurusRoutesTests
{
    [Theory]
    [InlineData("intro.md", "/intro")]
    [InlineData("01-basics/02-topics.md", "/basics/topics")]
    [InlineData("00_introduction/1. Setup.md", "/introduction/Setup")]
    [InlineData("00-introduction/INTRODUCTION.md", "/introduction/INTRODUCTION")]
    [InlineData("module-01-foundations/chapter-01-nodes/page-01-what.md", "/module-01-foundations/chapter-01-nodes/page-01-what")]
    [InlineData("2024-01-release-notes.md", "/2024-01-release-notes")]
    [InlineData("1.2-beta.md", "/1.2-beta")]
    public void RoutePath_NumberPrefixes_AreDroppedFromEverySegment(string relativePath, string expected)
    {
        Assert.Equal(expected, DocusaurusRoutes.RoutePath(relativePath));
    }

    [Theory]
    [InlineData("index.md", "/")]
    [InlineData("guide/index.md", "/guide")]
    [InlineData("guide/README.md", "/guide")]
    [InlineData("guide/readme.mdx", "/guide")]
    [InlineData("guide/guide.md", "/guide")]
    [InlineData("01-guide/01-guide.md", "/guide")]
    [InlineData("01-guide/Index.md", "/guide")]
    [InlineData("a/b/README.md", "/a/b")]
    public void RoutePath_IndexDocs_MapToTheirFolder(string relativePath, string expected)
    {
        Assert.Equal(expected, DocusaurusRoutes.RoutePath(relativePath));
    }

    [Theory]
    [InlineData("guide/topics.md", "qos", null, "/guide/qos")]
    [InlineData("01-guide/02-topics.md", "qos", null, "/guide/qos")]
    [InlineData("guide/topics.md", null, "/x", "/x")]
    [InlineData("guide/deep/topics.md", null, "/x/y/", "/x/y")]
    [InlineData("intro.md", null, "/", "/")]
    [InlineData("guide/topics.md", "qos", "/abs", "/abs")]
    [InlineData("guide/topics.md", null, "custom", "/guide/custom")]
    [InlineData("01-guide/topics.md", null, "deep/custom/", "/guide/deep/custom")]
    [InlineData("guide/topics.md", null, "../up", "/up")]
    [InlineData("guide/index.md", null, "start", "/guide/start")]
    [InlineData("guide/index.md", "ignored", null, "/guide")]
    public void RoutePath_IdAndSlug_FollowDocusaurus(string relativePath, string? id, string? slug, string expected)
    {
        Assert.Equal(expected, DocusaurusRoutes.RoutePath(relativePath, id, slug));
    }

    [Theory]
    [InlineData("intro.md", true)]
    [InlineData("guide/page.mdx", true)]
    [InlineData("guide/README.md", true)]
    [InlineData("_mdx-template.mdx", false)]
    [InlineData("guide/_partial.md", false)]
    [InlineData("_drafts/page.md", false)]
    [InlineData(".hidden/page.md", false)]
    [InlineData("guide/diagram.png", false)]
    [InlineData("guide/_category_.json", false)]
    public void IsPage_PartialsAndOtherFiles_AreNotPages(string relativePath, bool expected)
    {
        Assert.Equal(expected, DocusaurusRoutes.IsPage(relativePath));
    }

    [Theory]
    [InlineData("01-intro", "intro", 1)]
    [InlineData("10_setup", "setup", 10)]
    [InlineData("3 - Client API", "Client API", 3)]
    [InlineData("1. Intro", "Intro", 1)]
    [InlineData("intro", "intro", null)]
    [InlineData("page-01-what", "page-01-what", null)]
    [InlineData("2021-01-01-news", "2021-01-01-news", null)]
    [InlineData("8.0-release", "8.0-release", null)]
    public void ParseNumberPrefix_SplitsNameAndNumber(string name, string expectedName, int? expectedNumber)
    {
        Assert.Equal((expectedName, expectedNumber), DocusaurusRoutes.ParseNumberPrefix(name));
    }
}
