using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using RagFunctions.Ingestion;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Ingestion;

/// <summary>
/// Every anchor a citation can point at exists on the built site: the reader's section anchors are checked against the
/// heading ids Docusaurus gives each page of the seven real books, recorded in <c>Anchors/docusaurus-anchors.json</c>
/// by <c>Anchors/generate.mjs</c> (Docusaurus' MDX parse and github-slugger, versions pinned in its lock file).
/// </summary>
public sealed class DocusaurusAnchorTests
{
    private static readonly Lazy<JsonElement> Fixture = new(() =>
        JsonDocument.Parse(RepoFiles.Read("RagFunctions.Tests", "Ingestion", "Anchors", "docusaurus-anchors.json")).RootElement);

    public static TheoryData<string> Books => [.. Corpora.All];

    [Theory]
    [MemberData(nameof(Books))]
    public async Task ReadBook_EverySectionAnchor_IsAHeadingIdOfThatPageOnTheBuiltSite(string corpus)
    {
        var read = await new MarkdownBookReader(new DocusaurusSite(Corpora.BaseUrl(corpus), Corpora.DocsRoute(corpus)), NullLogger<MarkdownBookReader>.Instance)
            .ReadBookAsync(Corpora.Docs(corpus), TestContext.Current.CancellationToken);
        var site = Fixture.Value.GetProperty(corpus);

        var missing = new List<string>();
        foreach (var page in read.Pages)
        {
            var recorded = site.GetProperty(page.SourcePath);
            if (recorded.ValueKind != JsonValueKind.Array)
            {
                // MDX cannot compile this page, so the site has no anchors to compare with; the reader still indexes its text.
                continue;
            }

            var ids = recorded.EnumerateArray().Select(id => id.GetString()).ToHashSet(StringComparer.Ordinal);
            missing.AddRange(page.Sections.Where(s => s.Anchor.Length > 0 && !ids.Contains(s.Anchor)).Select(s => $"{page.SourcePath}#{s.Anchor}"));
        }

        Assert.Empty(missing);
    }

    [Theory]
    [MemberData(nameof(Books))]
    public async Task ReadBook_EveryHeadingIdOfThePage_IsASectionAnchorOrTheTitle(string corpus)
    {
        var read = await new MarkdownBookReader(new DocusaurusSite(Corpora.BaseUrl(corpus), Corpora.DocsRoute(corpus)), NullLogger<MarkdownBookReader>.Instance)
            .ReadBookAsync(Corpora.Docs(corpus), TestContext.Current.CancellationToken);
        var site = Fixture.Value.GetProperty(corpus);

        var unread = new List<string>();
        foreach (var page in read.Pages)
        {
            var recorded = site.GetProperty(page.SourcePath);
            if (recorded.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            var anchors = page.Sections.Select(s => s.Anchor).ToHashSet(StringComparer.Ordinal);
            var ids = recorded.EnumerateArray().Select(id => id.GetString()!).ToList();
            unread.AddRange(ids.Skip(1).Where(id => !anchors.Contains(id)).Select(id => $"{page.SourcePath}#{id}"));
        }

        Assert.Empty(unread);
    }

    public static TheoryData<string> BrokenFences => [.. Fixture.Value.GetProperty("cases").EnumerateObject().Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(BrokenFences))]
    public void ReadPage_BrokenCodeFence_HasTheHeadingsMdxRenders(string file)
    {
        var reader = new MarkdownBookReader(new DocusaurusSite("https://book.dev/"), NullLogger<MarkdownBookReader>.Instance);
        var page = reader.ReadPage(file, RepoFiles.Read("RagFunctions.Tests", "Ingestion", "Anchors", "cases", file));

        var expected = Fixture.Value.GetProperty("cases").GetProperty(file).EnumerateArray().Skip(1).Select(id => id.GetString()!);
        Assert.Equal(expected, page.Sections.Select(s => s.Anchor).Where(a => a.Length > 0));
    }
}
