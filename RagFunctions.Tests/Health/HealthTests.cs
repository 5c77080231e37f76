using System.Net;
using System.Text.Json;
using Grpc.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using RagFunctions.Health;
using RagFunctions.Ingestion;
using RagFunctions.Retrieval.VectorStore.Qdrant;
using RagFunctions.Tests.Fakes;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Health;

public sealed class HealthTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Health_EmbeddedIndex_ReportsEachServiceAndTheIndex()
    {
        await using var app = await SampleBookIndex.StartAppAsync();

        var (status, json) = await GetAsync(app, "/health");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ok", json.GetProperty("status").GetString());
        Assert.Equal("1.0", json.GetProperty("version").GetString());
        var services = json.GetProperty("services");
        Assert.Equal("not_configured", services.GetProperty("llm").GetProperty("status").GetString());
        Assert.Equal("local", services.GetProperty("embeddings").GetProperty("provider").GetString());
        var store = services.GetProperty("vector_store");
        Assert.Equal("sqlite", store.GetProperty("provider").GetString());
        Assert.Equal("ok", store.GetProperty("status").GetString());
        Assert.True(store.GetProperty("chunks").GetInt64() > 0);
        Assert.True(store.GetProperty("pages").GetInt64() > 0);
        Assert.Contains("384-d", store.GetProperty("embedding_model").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.String, store.GetProperty("built_at").ValueKind);
        Assert.Equal(JsonValueKind.Number, store.GetProperty("latency_ms").ValueKind);
    }

    [Fact]
    public async Task Ready_EmptyIndex_Is503_WhileLivenessStays200()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["BOOK_DOCS_DIR"] = TempDirectory.Create() });
        await app.Services.GetServices<IHostedService>().OfType<StartupIngestion>().Single().Completion;

        var (live, _) = await GetAsync(app, "/health");
        var (ready, json) = await GetAsync(app, "/health?ready=1");

        Assert.Equal(HttpStatusCode.OK, live);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);
        Assert.Equal(0, json.GetProperty("services").GetProperty("vector_store").GetProperty("chunks").GetInt64());
    }

    [Fact]
    public async Task Ready_WhileTheStartUpIngestionIsHalfWay_Is503_ThenOkWhenItIsDone()
    {
        var docs = TempDirectory.Create();
        for (var i = 1; i <= 3; i++)
        {
            await File.WriteAllTextAsync(Path.Combine(docs, $"page-{i}.md"), $"# Page {i}\n\nThe gripper {i} closes on the part.\n", Cancel);
        }

        var embeddings = new GatedEmbeddings(new HashEmbeddings(), holdAtDocumentCall: 2);
        await using var app = await StartOnDocsAsync(docs, embeddings);

        await embeddings.Held;
        var (halfWay, json) = await GetAsync(app, "/health?ready=1&probe=1");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, halfWay);
        Assert.True(json.GetProperty("services").GetProperty("vector_store").GetProperty("chunks").GetInt64() > 0);

        embeddings.Release();
        await app.StartupIngestion;
        await app.Warmups;
        var (done, _) = await GetAsync(app, "/health?ready=1&probe=1");
        Assert.Equal(HttpStatusCode.OK, done);
    }

    [Fact]
    public async Task Ready_AskedBeforeTheFirstIndexHadAPage_IsOkAsSoonAsStartUpIsDone_NotWhenTheCheckExpires()
    {
        var docs = TempDirectory.Create();
        await File.WriteAllTextAsync(Path.Combine(docs, "page-1.md"), "# Page 1\n\nThe gripper closes on the part.\n", Cancel);
        var embeddings = new GatedEmbeddings(new HashEmbeddings(), holdAtDocumentCall: 1);
        await using var app = await StartOnDocsAsync(docs, embeddings);

        await embeddings.Held;
        var (empty, _) = await GetAsync(app, "/health?ready=1");
        embeddings.Release();
        await app.StartupIngestion;
        await app.Warmups;
        var (built, json) = await GetAsync(app, "/health?ready=1");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, empty);
        Assert.Equal(HttpStatusCode.OK, built);
        Assert.True(json.GetProperty("services").GetProperty("vector_store").GetProperty("chunks").GetInt64() > 0);
    }

    [Fact]
    public async Task TheLocalEmbeddingModel_IsLoadedAndWarmedInTheBackgroundAtStart_BeforeReadyIsOk()
    {
        await using var app = await SampleBookIndex.StartAppAsync();

        await app.StartupIngestion;
        await app.Warmups;
        var (ready, _) = await GetAsync(app, "/health?ready=1");

        Assert.Equal(HttpStatusCode.OK, ready);
        Assert.Single(app.Logs.Lines, l => l.Contains("Embedding model loaded and warmed in", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Health_QdrantDown_IsDegradedWithTheCause_AndRecoversByItself()
    {
        await using var qdrant = await QdrantDouble.StartAsync(apiKey: "qdrant-secret-key-123", cancellationToken: Cancel);
        var time = new FakeTimeProvider();
        await using var app = await StartAsync(time, new Dictionary<string, string?>
        {
            ["QDRANT_URL"] = qdrant.Url,
            ["QDRANT_API_KEY"] = "qdrant-secret-key-123",
        });
        await app.Services.GetServices<IHostedService>().OfType<StartupIngestion>().Single().Completion;
        var (_, before) = await GetAsync(app, "/health");
        Assert.Equal("ok", before.GetProperty("status").GetString());

        qdrant.FailWith(StatusCode.Unavailable, "connection refused");
        time.Advance(HealthService.CacheFor);
        var (liveness, down) = await GetAsync(app, "/health");
        var (ready, _) = await GetAsync(app, "/health?ready=1");

        Assert.Equal(HttpStatusCode.OK, liveness);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);
        Assert.Equal("degraded", down.GetProperty("status").GetString());
        var store = down.GetProperty("services").GetProperty("vector_store");
        Assert.Equal("down", store.GetProperty("status").GetString());
        Assert.Contains("Qdrant unreachable at", store.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("Health: vector_store (qdrant) is down: Qdrant unreachable", app.Logs.All, StringComparison.Ordinal);

        qdrant.Heal();
        time.Advance(HealthService.CacheFor);
        var (_, after) = await GetAsync(app, "/health");

        Assert.Equal("ok", after.GetProperty("status").GetString());
        Assert.Contains("Health: vector_store (qdrant) is ok again", app.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain("qdrant-secret-key-123", app.Logs.All + after.GetRawText() + down.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_QdrantWithoutTheCollection_SaysRunIngest()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?>
        {
            ["QDRANT_URL"] = qdrant.Url,
            ["COLLECTION_NAME"] = "handbook",
            ["BOOK_DOCS_DIR"] = TempDirectory.Create(),
        });
        await app.Services.GetServices<IHostedService>().OfType<StartupIngestion>().Single().Completion;
        using (var client = new global::Qdrant.Client.QdrantClient(qdrant.Host, qdrant.Port))
        {
            await client.DeleteCollectionAsync("handbook", cancellationToken: Cancel);
        }

        var (_, json) = await GetAsync(app, "/health?probe=true");

        Assert.Equal("Qdrant collection 'handbook' not found — run ingest",
            json.GetProperty("services").GetProperty("vector_store").GetProperty("error").GetString());
        Assert.Equal("handbook", json.GetProperty("services").GetProperty("vector_store").GetProperty("collection").GetString());
        Assert.Contains("Qdrant collection 'handbook' not found — run ingest", app.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_PolledOften_ProbesTheStoreOncePerCachePeriod_UnlessForced()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        var time = new FakeTimeProvider();
        await using var app = await StartAsync(time, new Dictionary<string, string?> { ["QDRANT_URL"] = qdrant.Url });
        await app.StartupIngestion;
        await app.Warmups;
        await GetAsync(app, "/health");
        qdrant.ClearCalls();

        for (var i = 0; i < 5; i++)
        {
            await GetAsync(app, "/health");
        }

        Assert.Empty(qdrant.Calls);
        await GetAsync(app, "/health?probe=true");
        Assert.Contains(qdrant.Calls, c => c.Method.EndsWith("CollectionExists", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Health_CohereFailing_IsDegradedWithTheCause_AndRecoversWithoutSpendingChatQuota()
    {
        await using var cohere = await CohereDouble.StartAsync(Cancel);
        var time = new FakeTimeProvider();
        await using var app = await StartAsync(time, new Dictionary<string, string?>
        {
            ["COHERE_API_KEY"] = cohere.ApiKey,
            ["COHERE_BASE_URL"] = cohere.BaseUrl,
            ["RAG_DATA_DIR"] = await SampleBookIndex.CopyAsync(),
        });
        cohere.Enqueue(CohereDouble.EmbedPath, CohereFault.Status(401));

        var (status, down) = await GetAsync(app, "/health");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("degraded", down.GetProperty("status").GetString());
        var llm = down.GetProperty("services").GetProperty("llm");
        Assert.Equal("cohere", llm.GetProperty("provider").GetString());
        Assert.Equal("down", llm.GetProperty("status").GetString());
        Assert.Equal("Cohere connection failed: 401 invalid API key", llm.GetProperty("error").GetString());

        // Within the recheck period a down Cohere is not called again; after it, one cheap embed finds it back.
        time.Advance(HealthService.CacheFor);
        await GetAsync(app, "/health");
        Assert.Single(cohere.RequestsTo(CohereDouble.EmbedPath));
        time.Advance(HealthService.CohereRecheckWhenDown);
        var (_, after) = await GetAsync(app, "/health");

        Assert.Equal("ok", after.GetProperty("status").GetString());
        Assert.Empty(cohere.RequestsTo(CohereDouble.ChatPath));
        Assert.Equal(2, cohere.RequestsTo(CohereDouble.EmbedPath).Count);
        Assert.DoesNotContain(cohere.ApiKey, app.Logs.All + down.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_AfterARealCohereCall_DoesNotCallCohere()
    {
        await using var cohere = await CohereDouble.StartAsync(Cancel);
        await using var app = await SampleBookIndex.StartAppAsync(new Dictionary<string, string?>
        {
            ["COHERE_API_KEY"] = cohere.ApiKey,
            ["COHERE_BASE_URL"] = cohere.BaseUrl,
        });
        using var content = new StringContent("""{"question":"What is a ROS 2 node?"}""", System.Text.Encoding.UTF8, "application/json");
        using var chat = await app.Client.PostAsync("/chat", content, Cancel);
        var before = cohere.Requests.Count;

        var (_, json) = await GetAsync(app, "/health");

        Assert.Equal(before, cohere.Requests.Count);
        Assert.Equal("ok", json.GetProperty("services").GetProperty("llm").GetProperty("status").GetString());
    }

    /// <summary>The app indexing <paramref name="docs"/> at start with <paramref name="embeddings"/>.</summary>
    private static Task<TestApp> StartOnDocsAsync(string docs, GatedEmbeddings embeddings)
        => TestApp.StartAsync(new Dictionary<string, string?> { ["BOOK_DOCS_DIR"] = docs }, (services, configuration) =>
        {
            AppServices.Add(services, configuration);
            services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(embeddings);
        });

    private static Task<TestApp> StartAsync(FakeTimeProvider time, IReadOnlyDictionary<string, string?> settings)
        => TestApp.StartAsync(settings, (services, configuration) =>
        {
            AppServices.Add(services, configuration);
            services.AddSingleton<TimeProvider>(time);
        });

    private static async Task<(HttpStatusCode Status, JsonElement Json)> GetAsync(TestApp app, string path)
    {
        using var response = await app.Client.GetAsync(path, Cancel);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel));
        return (response.StatusCode, json.RootElement.Clone());
    }

    /// <summary>Embeds documents through <paramref name="inner"/>, but holds the given call until released.</summary>
    private sealed class GatedEmbeddings(IEmbeddingGenerator<string, Embedding<float>> inner, int holdAtDocumentCall)
        : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
    {
        private readonly TaskCompletionSource held = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int calls;

        public Task Held => held.Task;

        public void Release() => released.TrySetResult();

        public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            if (!RagFunctions.Retrieval.Embeddings.EmbeddingPurpose.IsQuery(options) && Interlocked.Increment(ref calls) == holdAtDocumentCall)
            {
                held.TrySetResult();
                await released.Task.WaitAsync(cancellationToken);
            }

            return await base.GenerateAsync(values, options, cancellationToken);
        }
    }
}
