using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Qdrant.Client.Grpc;
using RagFunctions.Retrieval.VectorStore;
using RagFunctions.Retrieval.VectorStore.Qdrant;
using RagFunctions.Tests.Fakes;
using static RagFunctions.Tests.Retrieval.Qdrant.BookData;

namespace RagFunctions.Tests.Retrieval.Qdrant;

/// <summary>What the Qdrant store asks of Qdrant, checked on the wire through the real client and the double.</summary>
public sealed class QdrantVectorStoreTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EnsureReady_EmptyServer_CreatesDenseCosineAndSparseIdfVectorsAndPageUrlIndex()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        using var t = QdrantTestStore.For(qdrant);

        await t.Store.EnsureReadyAsync(Embedding, Cancel);

        var info = Assert.IsType<CollectionInfo>(qdrant.DescribeCollection("book"));
        var dense = info.Config.Params.VectorsConfig.ParamsMap.Map["dense"];
        Assert.Equal((ulong)Dimensions, dense.Size);
        Assert.Equal(Distance.Cosine, dense.Distance);
        Assert.Equal(Modifier.Idf, info.Config.Params.SparseVectorsConfig.Map["bm25"].Modifier);
        Assert.Equal(PayloadSchemaType.Keyword, info.PayloadSchema["page_url"].DataType);
        var metadata = Assert.Single(qdrant.PointsOf("book"));
        Assert.Equal(Guid.Empty.ToString(), metadata.Id.Uuid);
        Assert.Equal("test-embed", metadata.Payload["embedding_model"].StringValue);
        Assert.Equal(Dimensions, metadata.Payload["embedding_dimensions"].IntegerValue);
    }

    [Fact]
    public async Task EnsureReady_SecondTime_CreatesNothing()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        using var t = QdrantTestStore.For(qdrant);
        await t.Store.EnsureReadyAsync(Embedding, Cancel);
        qdrant.ClearCalls();

        await t.Store.EnsureReadyAsync(Embedding, Cancel);

        Assert.Empty(qdrant.Requests<CreateCollection>());
        Assert.Empty(qdrant.Requests<CreateFieldIndexCollection>());
        Assert.Empty(qdrant.Requests<UpsertPoints>());
    }

    [Fact]
    public async Task EnsureReady_StrictModeServer_IndexesPageUrlBeforeAnyFilter()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        qdrant.StrictMode = true;
        using var t = QdrantTestStore.For(qdrant);

        await t.Store.EnsureReadyAsync(Embedding, Cancel);
        await t.Store.WritePageAsync(Page(Intro, Indexed(Chunk(Intro, 0, "ROS 2 middleware"), 1, 0, 0, 0)), Cancel);
        await t.Store.SearchAsync(new SearchRequest(new float[] { 1, 0, 0, 0 }, "middleware", 3, PageUrl: Intro), Cancel);
        await t.Store.GetChunkHashesAsync(Intro, Cancel);
        await t.Store.DeletePagesAsync([Intro], Cancel);

        var methods = qdrant.Calls.Select(c => c.Method).ToList();
        var firstFiltered = qdrant.Calls.Select((c, i) => (c, i)).First(x => x.c.Request is DeletePoints or ScrollPoints or QueryPoints or QueryBatchPoints or CountPoints).i;
        Assert.True(methods.IndexOf("qdrant.Points/CreateFieldIndex") < firstFiltered);
        Assert.Empty(await t.Store.GetPageAsync(Intro, Cancel));
    }

    [Fact]
    public async Task EnsureReady_IndexBuiltWithAnotherModel_ThrowsIndexMismatch()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        using var t = QdrantTestStore.For(qdrant);
        await t.Store.EnsureReadyAsync(Embedding, Cancel);

        var error = await Assert.ThrowsAsync<IndexMismatchException>(() => t.Store.EnsureReadyAsync(new EmbeddingModelInfo("other-embed", Dimensions), Cancel));

        Assert.Equal(Embedding, error.Built);
        Assert.Equal("other-embed", error.Configured.Model);
    }

    [Fact]
    public async Task EnsureReady_CollectionOfAnotherDimension_ThrowsIndexMismatchFromTheVectorConfig()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        using var t = QdrantTestStore.For(qdrant);
        await t.Client.CreateCollectionAsync(
            "book",
            new VectorParamsMap { Map = { ["dense"] = new VectorParams { Size = 8, Distance = Distance.Cosine } } },
            sparseVectorsConfig: new SparseVectorConfig { Map = { ["bm25"] = new SparseVectorParams { Modifier = Modifier.Idf } } },
            cancellationToken: Cancel);

        var error = await Assert.ThrowsAsync<IndexMismatchException>(() => t.Store.EnsureReadyAsync(Embedding, Cancel));

        Assert.Equal(8, error.Built.Dimensions);
        Assert.Equal(Dimensions, error.Configured.Dimensions);
        Assert.Contains("re-index", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureReady_CollectionNotMadeByThisApp_ThrowsNamingCollectionName()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        using var t = QdrantTestStore.For(qdrant);
        await t.Client.CreateCollectionAsync("book", new VectorParams { Size = 4, Distance = Distance.Cosine }, cancellationToken: Cancel);

        var error = await Assert.ThrowsAsync<VectorStoreException>(() => t.Store.EnsureReadyAsync(Embedding, Cancel));

        Assert.Contains("COLLECTION_NAME", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WritePage_StoresEveryChunkFieldWithTypedPayload()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        using var t = QdrantTestStore.For(qdrant);
        await t.Store.EnsureReadyAsync(Embedding, Cancel);
        var chunks = new[] { Chunk(Nodes, 0, "Nodes talk over topics."), Chunk(Nodes, 1, "A publisher sends messages."), Chunk(Nodes, 2, "A subscriber receives them.") };

        await t.Store.WritePageAsync(Page(Nodes, [.. chunks.Select((c, i) => Indexed(c, 1, i, 0, 0))]), Cancel);

        var page = await t.Store.GetPageAsync(Nodes, Cancel);
        Assert.Equal(chunks.Select(Describe), page.Select(Describe));
        var stored = qdrant.PointsOf("book").Single(p => p.Id.Uuid == chunks[1].Id);
        Assert.Equal(Value.KindOneofCase.ListValue, stored.Payload["title_path"].KindCase);
        Assert.Equal(["nodes", "Part 1"], stored.Payload["title_path"].ListValue.Values.Select(v => v.StringValue));
        Assert.Equal(1, stored.Payload["position"].IntegerValue);
        Assert.Equal(chunks[1].ContentHash, stored.Payload["content_hash"].StringValue);
        Assert.True(stored.Vectors.Vectors.Vectors.ContainsKey("bm25"));
    }

    [Fact]
    public async Task WritePage_UpsertsFirstThenDeletesTheRestOfThePageByFilter()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        using var t = QdrantTestStore.For(qdrant);
        await t.Store.EnsureReadyAsync(Embedding, Cancel);
        var a = Chunk(Nodes, 0, "Nodes talk over topics.");
        var b = Chunk(Nodes, 1, "A publisher sends messages.");
        var c = Chunk(Nodes, 2, "A subscriber receives them.");
        var other = Chunk(Intro, 0, "Welcome.");
        await t.Store.WritePageAsync(Page(Nodes, Indexed(a, 1, 0, 0, 0), Indexed(b, 0, 1, 0, 0), Indexed(c, 0, 0, 1, 0)), Cancel);
        await t.Store.WritePageAsync(Page(Intro, Indexed(other, 0, 0, 0, 1)), Cancel);
        qdrant.ClearCalls();
        var changedB = b with { Text = "A publisher sends typed messages.", ContentHash = "b2" };

        await t.Store.WritePageAsync(new PageWrite(Nodes, [Indexed(changedB, 0, 1, 0, 0)], [a.Id, b.Id]), Cancel);

        Assert.Equal(["qdrant.Points/Upsert", "qdrant.Points/Delete"], qdrant.Calls.Select(x => x.Method));
        Assert.True(qdrant.Requests<UpsertPoints>().Single().Wait);
        var filter = qdrant.Requests<DeletePoints>().Single().Points.Filter;
        Assert.Equal(Nodes, filter.Must.Single().Field.Match.Keyword);
        Assert.Equal(new[] { a.Id, b.Id }.Order(), filter.MustNot.Single().HasId.HasId.Select(id => id.Uuid).Order());
        Assert.Equal([a, changedB], await t.Store.GetPageAsync(Nodes, Cancel), BookChunkComparer.Instance);
        Assert.Equal([other], await t.Store.GetPageAsync(Intro, Cancel), BookChunkComparer.Instance);
    }

    [Fact]
    public async Task WritePage_ChunkIdsThatAreNotUuids_MapToStableNameBasedPoints()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        using var t = QdrantTestStore.For(qdrant);
        await t.Store.EnsureReadyAsync(Embedding, Cancel);
        var chunk = Chunk(Intro, 0, "Welcome.") with { Id = "intro#0" };

        await t.Store.WritePageAsync(Page(Intro, Indexed(chunk, 1, 0, 0, 0)), Cancel);
        await t.Store.WritePageAsync(Page(Intro, Indexed(chunk, 1, 0, 0, 0)), Cancel);

        var point = Assert.Single(qdrant.PointsOf("book"), p => p.Id.Uuid != Guid.Empty.ToString());
        Assert.Equal(QdrantPoints.PointGuid("intro#0").ToString(), point.Id.Uuid);
        Assert.Equal('5', point.Id.Uuid[14]);
        Assert.Equal("intro#0", Assert.Single(await t.Store.GetPageAsync(Intro, Cancel)).Id);
        Assert.Equal("intro#0", Assert.Single((await t.Store.GetChunkHashesAsync(Intro, Cancel)).Keys));
    }

    [Fact]
    public async Task WritePage_VectorOfTheWrongDimension_FailsWithQdrantsReason()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        using var t = QdrantTestStore.For(qdrant);
        await t.Store.EnsureReadyAsync(Embedding, Cancel);

        var error = await Assert.ThrowsAsync<VectorStoreException>(() => t.Store.WritePageAsync(Page(Intro, Indexed(Chunk(Intro, 0, "x"), 1, 0)), Cancel));

        Assert.Contains("Vector dimension error: expected dim: 4, got 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetPage_MoreChunksThanOneScrollPage_FollowsNextPageOffsetInPositionOrder()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        using var t = QdrantTestStore.For(qdrant);
        await t.Store.EnsureReadyAsync(Embedding, Cancel);
        var chunks = Enumerable.Range(0, 300).Select(i => Indexed(Chunk(Sensors, i, $"Sensor note {i}."), 1, i % 7, 0, 0)).ToArray();
        await t.Store.WritePageAsync(Page(Sensors, chunks), Cancel);
        qdrant.ClearCalls();

        var page = await t.Store.GetPageAsync(Sensors, Cancel);

        Assert.Equal(Enumerable.Range(0, 300), page.Select(c => c.Position));
        var scrolls = qdrant.Requests<ScrollPoints>();
        Assert.Equal((int)Math.Ceiling(300.0 / QdrantVectorStore.ChunkPageSize), scrolls.Count);
        Assert.Null(scrolls[0].Offset);
        Assert.All(scrolls.Skip(1), s => Assert.NotNull(s.Offset));
        Assert.Equal(scrolls.Skip(1).Select(s => s.Offset.Uuid).Distinct().Count(), scrolls.Count - 1);
        Assert.Equal(300, (await t.Store.GetChunkHashesAsync(Sensors, Cancel)).Count);
    }

    [Fact]
    public async Task PageUrlsStatsAndDelete_IgnoreTheMetadataPoint()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        using var t = QdrantTestStore.For(qdrant);
        await t.Store.EnsureReadyAsync(Embedding, Cancel);
        await t.Store.WritePageAsync(Page(Nodes, Indexed(Chunk(Nodes, 0, "a"), 1, 0, 0, 0), Indexed(Chunk(Nodes, 1, "b"), 1, 0, 0, 0)), Cancel);
        await t.Store.WritePageAsync(Page(Intro, Indexed(Chunk(Intro, 0, "c"), 1, 0, 0, 0)), Cancel);
        await t.Store.WritePageAsync(Page(Sensors, Indexed(Chunk(Sensors, 0, "d"), 1, 0, 0, 0)), Cancel);
        var builtAt = new DateTimeOffset(2026, 11, 25, 8, 30, 0, TimeSpan.FromHours(5));
        await t.Store.MarkBuiltAsync(builtAt, Cancel);

        Assert.Equal([Intro, Nodes, Sensors], await t.Store.GetPageUrlsAsync(Cancel));
        Assert.Equal(new IndexStats(4, 3, Embedding, builtAt), await t.Store.GetStatsAsync(Cancel));

        await t.Store.DeletePagesAsync([Nodes, Sensors], Cancel);

        Assert.Equal([Intro], await t.Store.GetPageUrlsAsync(Cancel));
        Assert.Equal(new IndexStats(1, 1, Embedding, builtAt), await t.Store.GetStatsAsync(Cancel));
        Assert.Equal(2, qdrant.PointsOf("book").Count);
    }

    [Fact]
    public async Task GetStats_NoCollectionYet_ReportsAnEmptyIndex()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        using var t = QdrantTestStore.For(qdrant);

        Assert.Equal(new IndexStats(0, 0, null, null), await t.Store.GetStatsAsync(Cancel));
    }

    [Fact]
    public async Task Search_Dense_RanksByCosineAndReportsItAsDenseScore()
    {
        await using var qdrant = await SeededAsync();
        using var t = QdrantTestStore.For(qdrant);

        var hits = await t.Store.SearchAsync(new SearchRequest(new float[] { 0, 2, 0.2f, 0 }, "", 2, SearchMode.Dense), Cancel);

        Assert.Equal(["publisher", "later"], hits.Select(h => h.Chunk.Heading));
        Assert.Equal(2 / Math.Sqrt(4.04), hits[0].Score, 5);
        Assert.All(hits, h => Assert.Equal(h.Score, h.DenseScore));
        var query = qdrant.Requests<QueryPoints>().Single();
        Assert.Equal("dense", query.Using);
        Assert.Equal(2ul, query.Limit);
        Assert.True(query.WithPayload.Enable);
    }

    [Fact]
    public async Task Search_KeywordWithoutVector_SendsClientSideBm25TermsToTheSparseVector()
    {
        await using var qdrant = await SeededAsync();
        using var t = QdrantTestStore.For(qdrant);

        var hits = await t.Store.SearchAsync(new SearchRequest(ReadOnlyMemory<float>.Empty, "Which topic does the subscriber read?", 5, SearchMode.Keyword), Cancel);

        Assert.Equal("subscriber", hits[0].Chunk.Heading);
        Assert.All(hits, h => Assert.Null(h.DenseScore));
        var query = qdrant.Requests<QueryPoints>().Single();
        Assert.False(query.WithVectors.Enable);
        Assert.Equal("bm25", query.Using);
        Assert.Equal(Bm25SparseEncoder.EncodeQuery("Which topic does the subscriber read?").Indices, query.Query.Nearest.Sparse.Indices);
    }

    [Fact]
    public async Task Search_KeywordOfStopWordsOnly_ReturnsNothingWithoutACall()
    {
        await using var qdrant = await SeededAsync();
        using var t = QdrantTestStore.For(qdrant);

        var hits = await t.Store.SearchAsync(new SearchRequest(new float[] { 1, 0, 0, 0 }, "what is the", 5, SearchMode.Keyword), Cancel);

        Assert.Empty(hits);
        Assert.Empty(qdrant.Requests<QueryPoints>());
    }

    [Fact]
    public async Task Search_Hybrid_SendsDenseAndSparsePrefetchesFusedByRrfAndAsksForTheDenseVector()
    {
        await using var qdrant = await SeededAsync();
        using var t = QdrantTestStore.For(qdrant);

        var hits = await t.Store.SearchAsync(new SearchRequest(new float[] { 0, 0, 1, 0 }, "subscriber", 3), Cancel);

        var query = Assert.Single(qdrant.Requests<QueryPoints>());
        Assert.Equal(Fusion.Rrf, query.Query.Fusion);
        Assert.Equal(3ul, query.Limit);
        Assert.True(query.WithPayload.Enable);
        Assert.Equal(["dense"], query.WithVectors.Include.Names);
        Assert.Equal(["dense", "bm25"], query.Prefetch.Select(p => p.Using));
        Assert.All(query.Prefetch, p => Assert.Equal(40ul, p.Limit));
        Assert.Equal(Bm25SparseEncoder.EncodeQuery("subscriber").Indices, query.Prefetch[1].Query.Nearest.Sparse.Indices);

        // The subscriber chunk is first in both lists: 1/(0+2) + 1/(0+2) with Qdrant's default k = 2.
        Assert.Equal("subscriber", hits[0].Chunk.Heading);
        Assert.Equal(1.0, hits[0].Score, 5);
        Assert.Equal(1.0, hits[0].DenseScore!.Value, 5);
        Assert.Equal(Math.Sqrt(0.5), hits.Single(h => h.Chunk.Heading == "later").DenseScore!.Value, 5);
    }

    [Fact]
    public async Task Search_KeywordWithAVector_ReportsTheCosineOfEveryHit()
    {
        await using var qdrant = await SeededAsync();
        using var t = QdrantTestStore.For(qdrant);

        var hits = await t.Store.SearchAsync(new SearchRequest(new float[] { 0, 1, 1, 0 }, "subscriber", 5, SearchMode.Keyword), Cancel);

        Assert.Equal(["subscriber", "later"], hits.Select(h => h.Chunk.Heading));
        Assert.Equal(Math.Sqrt(0.5), hits[0].DenseScore!.Value, 5);
        Assert.Equal(1.0, hits[1].DenseScore!.Value, 5);
    }

    [Fact]
    public async Task Search_HybridWithLargeLimit_PrefetchesFourTimesTheLimit()
    {
        await using var qdrant = await SeededAsync();
        using var t = QdrantTestStore.For(qdrant);

        await t.Store.SearchAsync(new SearchRequest(new float[] { 0, 0, 1, 0 }, "subscriber", 25), Cancel);

        Assert.All(qdrant.Requests<QueryPoints>().Single().Prefetch, p => Assert.Equal(100ul, p.Limit));
    }

    [Fact]
    public async Task Search_HybridOfStopWordsOnly_FusesTheDensePrefetchAlone()
    {
        await using var qdrant = await SeededAsync();
        using var t = QdrantTestStore.For(qdrant);

        var hits = await t.Store.SearchAsync(new SearchRequest(new float[] { 0, 1, 0, 0 }, "what is it", 2), Cancel);

        Assert.Equal(["dense"], qdrant.Requests<QueryPoints>().Single().Prefetch.Select(p => p.Using));
        Assert.Equal("publisher", hits[0].Chunk.Heading);
        Assert.Equal(0.5, hits[0].Score, 5);
    }

    [Theory]
    [InlineData("Hybrid")]
    [InlineData("Dense")]
    [InlineData("Keyword")]
    public async Task Search_PageUrl_FiltersEveryModeAtTheTopLevel(string modeName)
    {
        var mode = Enum.Parse<SearchMode>(modeName);
        await using var qdrant = await SeededAsync();
        using var t = QdrantTestStore.For(qdrant);

        var hits = await t.Store.SearchAsync(new SearchRequest(new float[] { 0, 0, 1, 0 }, "subscriber welcome messages", 10, mode, Intro), Cancel);

        Assert.NotEmpty(hits);
        Assert.All(hits, h => Assert.Equal(Intro, h.Chunk.PageUrl));
        Assert.Equal(Intro, qdrant.Requests<QueryPoints>().Single().Filter.Must.Single().Field.Match.Keyword);
    }

    [Fact]
    public async Task Search_ZeroLimit_ReturnsNothingWithoutACall()
    {
        await using var qdrant = await SeededAsync();
        using var t = QdrantTestStore.For(qdrant);

        Assert.Empty(await t.Store.SearchAsync(new SearchRequest(new float[] { 1, 0, 0, 0 }, "subscriber", 0), Cancel));
        Assert.Empty(qdrant.Calls);
    }

    [Fact]
    public async Task AddQdrantStore_FromEnvironmentNames_ResolvesTheStoreAsIVectorStore()
    {
        await using var qdrant = await QdrantDouble.StartAsync(apiKey: "secret-key", cancellationToken: Cancel);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["QDRANT_URL"] = qdrant.Url,
            ["QDRANT_API_KEY"] = "secret-key",
            ["COLLECTION_NAME"] = "handbook",
        }).Build();
        await using var provider = new ServiceCollection().AddLogging().AddQdrantStore(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var store = provider.GetRequiredService<IVectorStore>();
        await store.EnsureReadyAsync(Embedding, Cancel);

        Assert.Equal("qdrant", store.Provider);
        Assert.NotNull(qdrant.DescribeCollection("handbook"));
        Assert.All(qdrant.Calls.Where(c => c.Method != "qdrant.Qdrant/HealthCheck"), c => Assert.True(c.HadApiKey));
    }

    /// <summary>Two pages; 4-d vectors pointing at one axis per chunk so cosine ranks are obvious.</summary>
    private static async Task<QdrantDouble> SeededAsync()
    {
        var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        using var t = QdrantTestStore.For(qdrant);
        await t.Store.EnsureReadyAsync(Embedding, Cancel);
        await t.Store.WritePageAsync(
            Page(
                Nodes,
                Indexed(Chunk(Nodes, 0, "Nodes are processes that talk over topics.", "nodes"), 1, 0, 0, 0),
                Indexed(Chunk(Nodes, 1, "A publisher sends messages on a topic.", "publisher"), 0, 1, 0, 0),
                Indexed(Chunk(Nodes, 2, "A subscriber reads messages from a topic; the subscriber keeps a queue.", "subscriber"), 0, 0, 1, 0)),
            Cancel);
        await t.Store.WritePageAsync(
            Page(
                Intro,
                Indexed(Chunk(Intro, 0, "Welcome to the book.", "welcome"), 0, 0, 0, 1),
                Indexed(Chunk(Intro, 1, "Later chapters cover the subscriber and its messages.", "later"), 0, 0.5f, 0.5f, 0)),
            Cancel);
        qdrant.ClearCalls();
        return qdrant;
    }

    private static string Describe(BookChunk c)
        => $"{c.Id}|{c.PageUrl}|{c.Url}|{c.PageTitle}|{c.Heading}|{c.Anchor}|{string.Join('>', c.TitlePath)}|{c.Position}|{c.Text}|{c.Markdown}|{c.ContentHash}";

    /// <summary>Records compare lists by reference; chunks compare by content here.</summary>
    private sealed class BookChunkComparer : IEqualityComparer<BookChunk>
    {
        public static readonly BookChunkComparer Instance = new();

        public bool Equals(BookChunk? x, BookChunk? y) => x is not null && y is not null && Describe(x) == Describe(y);

        public int GetHashCode(BookChunk obj) => Describe(obj).GetHashCode(StringComparison.Ordinal);
    }
}
