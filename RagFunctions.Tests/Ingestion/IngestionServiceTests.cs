using System.Net;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using RagFunctions.Ingestion;
using RagFunctions.Retrieval.VectorStore;
using RagFunctions.Tests.Fakes;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Ingestion;

/// <summary>The whole ingestion pipeline — reader, chunker, local embeddings, SQLite store — through the app's services.</summary>
public sealed class IngestionServiceTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("corpus-a")]
    [InlineData("corpus-b")]
    public async Task RealBook_IsIndexed_ThenReingestingItEmbedsNothing(string corpus)
    {
        var counter = new HashEmbeddings();
        await using var app = await StartAsync(corpus, counter);
        await app.StartupIngestion;
        var ingestion = app.Services.GetRequiredService<IngestionService>();
        var pages = await app.Services.GetRequiredService<BookSource>().ReadFolderAsync(Corpora.Docs(corpus), Cancel);

        var first = await ingestion.IngestAsync(pages, complete: true, null, Cancel);
        var embedded = counter.DocumentTexts;
        var second = await ingestion.IngestAsync(pages, complete: true, null, Cancel);

        Assert.True(first.ChunksAdded > pages.Pages.Count, $"{first}");
        Assert.Equal(first.ChunksAdded, embedded);
        Assert.Equal(0, second.ChunksEmbedded);
        Assert.Equal(0, second.ChunksDeleted);
        Assert.Equal(first.ChunksAdded, second.ChunksUnchanged);
        Assert.Equal(embedded, counter.DocumentTexts);
        var stats = await app.Services.GetRequiredService<IVectorStore>().GetStatsAsync(Cancel);
        Assert.Equal(pages.Pages.Count, stats.Pages);
        Assert.Equal(first.Pages, stats.Pages);
        Assert.Equal(first.Chunks, stats.Chunks);
        Assert.Equal(first.ChunksAdded, stats.Chunks);
        Assert.NotNull(stats.BuiltAt);
    }

    [Fact]
    public async Task ChangedAndRemovedPages_AreReplacedAndDeleted_OnlyChangedChunksAreEmbedded()
    {
        var counter = new HashEmbeddings();
        await using var app = await StartAsync("corpus-a", counter);
        await app.StartupIngestion;
        var ingestion = app.Services.GetRequiredService<IngestionService>();
        var source = app.Services.GetRequiredService<BookSource>();
        var docs = TempDirectory.Create();
        CopyFolder(Corpora.Docs("corpus-a"), docs);
        await ingestion.IngestAsync(await source.ReadFolderAsync(docs, Cancel), complete: true, null, Cancel);
        var before = counter.DocumentTexts;

        var changed = Directory.GetFiles(docs, "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First(f => f.Contains("week-3-lesson-1", StringComparison.Ordinal));
        File.AppendAllText(changed, "\n\n## A brand new closing section\n\nThis paragraph was added after the first ingestion and mentions tachyon couplers.\n");
        var removed = Directory.GetFiles(docs, "*.md", SearchOption.AllDirectories).First(f => f.Contains("version-compatibility", StringComparison.Ordinal));
        File.Delete(removed);
        var report = await ingestion.IngestAsync(await source.ReadFolderAsync(docs, Cancel), complete: true, null, Cancel);

        Assert.Equal(1, report.PagesDeleted);
        Assert.True(report.ChunksEmbedded is >= 1 and <= 3, report.ToString());
        Assert.Equal(report.ChunksEmbedded, counter.DocumentTexts - before);
        var hits = await app.Services.GetRequiredService<IVectorStore>().SearchAsync(
            new SearchRequest(ReadOnlyMemory<float>.Empty, "tachyon couplers", 3, SearchMode.Keyword), Cancel);
        Assert.Contains(hits, h => h.Chunk.Text.Contains("A brand new closing section", StringComparison.Ordinal));
    }

    [Fact]
    public async Task IndexBuiltWithAnotherModel_IsAClearErrorAskingToReindex()
    {
        var folder = TempDirectory.Create();
        var otherModel = new EmbeddingModelInfo("embed-english-v3.0", 1024);
        await using (var first = await TestApp.StartAsync(
            new Dictionary<string, string?> { ["RAG_DATA_DIR"] = folder, ["BOOK_DOCS_DIR"] = TempDirectory.Create() },
            (services, configuration) =>
            {
                AppServices.Add(services, configuration);
                services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(new ModelOnly(otherModel));
            }))
        {
            await first.StartupIngestion;
        }

        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["RAG_DATA_DIR"] = folder });
        using var response = await ChatPost(app, """{"question":"What is a ROS 2 node?"}""");

        var problem = await Problems.AssertAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Contains("re-index", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(app.Logs.Lines, l => l.Contains("Index built with embed-english-v3.0 (1024-d) but configured model is snowflake-arctic-embed-xs (384-d)", StringComparison.Ordinal));
    }

    private static Task<HttpResponseMessage> ChatPost(TestApp app, string body)
        => app.Client.PostAsync("/chat", new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Cancel);

    private static Task<TestApp> StartAsync(string corpus, HashEmbeddings counter)
        => TestApp.StartAsync(
            new Dictionary<string, string?> { ["BOOK_BASE_URL"] = Corpora.BaseUrl(corpus), ["BOOK_DOCS_DIR"] = TempDirectory.Create() },
            (services, configuration) =>
            {
                AppServices.Add(services, configuration);
                services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(counter);
            });

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    /// <summary>Says it is another model; never asked to embed anything (the docs folder is empty).</summary>
    private sealed class ModelOnly(EmbeddingModelInfo model) : IEmbeddingGenerator<string, Embedding<float>>
    {
        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
            => throw new InvalidOperationException("not used");

        public object? GetService(Type serviceType, object? serviceKey = null)
            => serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("test", null, model.Model, model.Dimensions) : null;

        public void Dispose()
        {
        }
    }
}
