using System.Net;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using RagFunctions.Ingestion;
using RagFunctions.Tests.Fakes;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Ingestion;

/// <summary>The ingest report accounts for every file of a real book, and its counts are what the index serves.</summary>
public sealed class IngestReportTests
{
    private const string Key = "admin-key-for-tests-0123456789";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static TheoryData<string> Books => [.. Corpora.All];

    [Theory]
    [MemberData(nameof(Books))]
    public async Task AdminIngest_RealBook_ListsEveryFileOnce_AndItsCountsMatchPagesAndHealth(string corpus)
    {
        var (report, pages, health) = await IngestAndReadAsync(corpus);

        var markdownFiles = Directory.EnumerateFiles(Corpora.Docs(corpus), "*.md*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Corpora.Docs(corpus), f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        var files = report.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(markdownFiles, files.Select(f => f.GetProperty("path").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(files.Where(f => f.GetProperty("status").GetString() == "skipped"), f => Assert.False(string.IsNullOrEmpty(f.GetProperty("reason").GetString())));

        var indexed = files.Count(f => f.GetProperty("status").GetString() is "indexed" or "repaired");
        Assert.Equal(markdownFiles.Count, report.GetProperty("files_read").GetInt32());
        Assert.Equal(indexed, report.GetProperty("pages").GetInt32());
        Assert.Equal(indexed, pages.GetProperty("count").GetInt32());
        Assert.Equal(indexed, health.GetProperty("pages").GetInt32());
        Assert.Equal(report.GetProperty("chunks").GetInt32(), health.GetProperty("chunks").GetInt32());
        Assert.Equal(markdownFiles.Count - indexed, report.GetProperty("files_skipped").GetInt32());
        Assert.Equal(
            files.Select(f => f.TryGetProperty("url", out var url) ? url.GetString() : null).OfType<string>().Order(StringComparer.Ordinal),
            pages.GetProperty("pages").EnumerateArray().Select(p => p.GetProperty("url").GetString()).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("corpus-e", "isaac-platform/isaac-gym.mdx")]
    [InlineData("corpus-e", "simulation-ecosystem/sim-to-real.mdx")]
    public async Task AdminIngest_StubPage_IsIndexedAndSaysItIsAStub(string corpus, string path)
    {
        var report = await IngestAsync(corpus);

        var file = Assert.Single(report.GetProperty("files").EnumerateArray(), f => f.GetProperty("path").GetString() == path);
        Assert.Equal("indexed", file.GetProperty("status").GetString());
        Assert.StartsWith("stub", file.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("corpus-b", "_mdx-template.mdx", "partial")]
    [InlineData("corpus-d", "labs/module-03/_templates/cv-lab-template.md", "partial")]
    [InlineData("corpus-e", "appendices/lab-build-guides.mdx", "empty")]
    [InlineData("corpus-h", "_TypeScriptExamplesNote.md", "partial")]
    public async Task ReadBook_FileThatIsNotAPage_IsSkippedWithItsReason(string corpus, string path, string reason)
    {
        var read = await new MarkdownBookReader(new DocusaurusSite(Corpora.BaseUrl(corpus), Corpora.DocsRoute(corpus)), NullLogger<MarkdownBookReader>.Instance)
            .ReadBookAsync(Corpora.Docs(corpus), Cancel);

        var skipped = Assert.Single(read.Skipped, s => s.Path == path);
        Assert.StartsWith(reason, skipped.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(read.Pages, p => p.SourcePath == path);
    }

    [Fact]
    public async Task ReadBook_TwoFilesForOneUrl_KeepsOne_AndSaysWhichTheOtherYieldsTo()
    {
        var read = await new MarkdownBookReader(new DocusaurusSite(Corpora.BaseUrl(Corpora.E)), NullLogger<MarkdownBookReader>.Instance)
            .ReadBookAsync(Corpora.Docs(Corpora.E), Cancel);

        Assert.Equal(read.Pages.Count, read.Pages.Select(p => p.PageUrl).Distinct().Count());
        var future = Assert.Single(read.Pages, p => p.PageUrl.EndsWith("/appendices/future-roadmap", StringComparison.Ordinal));
        var other = Assert.Single(read.Skipped, s => s.Path.Contains("future-roadmap", StringComparison.Ordinal));
        Assert.Equal(SkipReasons.SameUrl(future.SourcePath), other.Reason);
    }

    [Fact]
    public async Task AdminIngest_PageOfOneEscapedLine_IsRepairedIndexedAndWarnedAboutByName()
    {
        var docs = TempDirectory.Create();
        Directory.CreateDirectory(Path.Combine(docs, "guide"));
        File.WriteAllText(Path.Combine(docs, "guide", "navigation.md"), "# Navigation\\n\\nUse the sidebar to move between chapters.\\n\\n## Search\\n\\nPress Ctrl+K to search the book.\n");
        File.WriteAllText(Path.Combine(docs, "guide", "intro.md"), "# Intro\n\nWhat this book is about.\n");

        var (report, pages, _, logs) = await IngestAndReadAsync(docs, "https://book.example/", "docs");

        var file = Assert.Single(report.GetProperty("files").EnumerateArray(), f => f.GetProperty("path").GetString() == "guide/navigation.md");
        Assert.Equal("repaired", file.GetProperty("status").GetString());
        Assert.Contains("escaped", file.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, report.GetProperty("pages_repaired").GetInt32());
        Assert.Equal(2, pages.GetProperty("count").GetInt32());
        Assert.Contains(logs, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("guide/navigation.md", StringComparison.Ordinal));
    }

    private static async Task<JsonElement> IngestAsync(string corpus) => (await IngestAndReadAsync(corpus)).Report;

    private static async Task<(JsonElement Report, JsonElement Pages, JsonElement Health)> IngestAndReadAsync(string corpus)
    {
        var (report, pages, health, _) = await IngestAndReadAsync(Corpora.Docs(corpus), Corpora.BaseUrl(corpus), Corpora.DocsRoute(corpus));
        return (report, pages, health);
    }

    /// <summary>
    /// Ingests a docs folder through <c>POST /manage/ingest</c> (hash embeddings); returns the report, <c>/pages</c>, the store's
    /// health and the log lines.
    /// </summary>
    private static async Task<(JsonElement Report, JsonElement Pages, JsonElement Health, IReadOnlyList<string> Logs)> IngestAndReadAsync(
        string docs, string baseUrl, string route)
    {
        await using var app = await TestApp.StartAsync(
            new Dictionary<string, string?>
            {
                ["BOOK_BASE_URL"] = baseUrl,
                ["BOOK_DOCS_ROUTE"] = route,
                ["BOOK_DOCS_DIR"] = docs,
                ["ADMIN_API_KEY"] = Key,
            },
            (services, configuration) =>
            {
                AppServices.Add(services, configuration);
                services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(new HashEmbeddings());
            });
        await app.StartupIngestion;

        using var request = new HttpRequestMessage(HttpMethod.Post, "/manage/ingest");
        request.Headers.Add("X-Admin-Key", Key);
        using var response = await app.Client.SendAsync(request, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement;

        var pages = JsonDocument.Parse(await app.Client.GetStringAsync("/pages", Cancel)).RootElement;
        var health = JsonDocument.Parse(await app.Client.GetStringAsync("/health", Cancel)).RootElement.GetProperty("services").GetProperty("vector_store");
        return (report, pages, health, app.Logs.Lines);
    }
}
