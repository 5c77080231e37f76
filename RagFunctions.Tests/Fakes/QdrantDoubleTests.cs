using Grpc.Core;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using static Qdrant.Client.Grpc.Conditions;

namespace RagFunctions.Tests.Fakes;

/// <summary>The double behaves like Qdrant where the store depends on it, seen through the official client.</summary>
public sealed class QdrantDoubleTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Health_WithWrongKey_AnswersLikeTheServer()
    {
        await using var qdrant = await QdrantDouble.StartAsync(apiKey: "right", cancellationToken: Cancel);
        using var client = new QdrantClient(qdrant.Host, qdrant.Port, https: false, apiKey: "wrong");

        var health = await client.HealthAsync(Cancel);
        var error = await Assert.ThrowsAsync<RpcException>(() => client.ListCollectionsAsync(Cancel));

        Assert.Equal("qdrant - vector search engine", health.Title);
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task CreateCollection_Twice_IsAlreadyExists()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        using var client = Client(qdrant);
        await client.CreateCollectionAsync("docs", new VectorParams { Size = 3, Distance = Distance.Cosine }, cancellationToken: Cancel);

        var error = await Assert.ThrowsAsync<RpcException>(
            () => client.CreateCollectionAsync("docs", new VectorParams { Size = 3, Distance = Distance.Cosine }, cancellationToken: Cancel));

        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
        Assert.Equal(["docs"], await client.ListCollectionsAsync(Cancel));
    }

    [Fact]
    public async Task AnyPointCall_UnknownCollection_IsNotFoundWithQdrantsText()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        using var client = Client(qdrant);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.CountAsync("nope", cancellationToken: Cancel));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("Collection `nope` doesn't exist!", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upsert_WrongDimension_IsInvalidArgumentAndStoresNothing()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        using var client = Client(qdrant);
        await client.CreateCollectionAsync("docs", new VectorParams { Size = 3, Distance = Distance.Cosine }, cancellationToken: Cancel);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.UpsertAsync(
            "docs",
            [new PointStruct { Id = 1, Vectors = new[] { 1f, 0, 0 } }, new PointStruct { Id = 2, Vectors = new[] { 1f, 0 } }],
            cancellationToken: Cancel));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("Wrong input: Vector dimension error: expected dim: 3, got 2", error.Status.Detail);
        Assert.Equal(0ul, await client.CountAsync("docs", cancellationToken: Cancel));
    }

    [Fact]
    public async Task UnknownMethod_IsUnimplemented()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        using var client = Client(qdrant);

        var error = await Assert.ThrowsAsync<RpcException>(() => client.CreateSnapshotAsync("docs", Cancel));

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
        Assert.Equal("qdrant.Snapshots/Create", qdrant.Calls.Single().Method);
    }

    [Fact]
    public async Task Query_DenseCosine_RanksByAngleNotLength()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        using var client = await SeededAsync(qdrant);

        var hits = await client.QueryAsync("docs", query: new[] { 1f, 0, 0 }, usingVector: "dense", limit: 2, cancellationToken: Cancel);

        Assert.Equal([1ul, 2ul], hits.Select(h => h.Id.Num));
        Assert.Equal(1f, hits[0].Score, 5);
        Assert.True(qdrant.Requests<QueryPoints>().Single().WithPayload.Enable);
        Assert.Equal("a", hits[0].Payload["page"].StringValue);
        Assert.Null(hits[0].Vectors);
    }

    [Fact]
    public async Task Query_Sparse_ScoresDotProductTimesIdfAndSkipsPointsWithoutOverlap()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        using var client = await SeededAsync(qdrant);

        var hits = await client.QueryAsync("docs", query: (new[] { 1f }, new uint[] { 7 }), usingVector: "bm25", cancellationToken: Cancel);

        // Term 7 is in 2 of 3 points: idf = ln(1 + (3 - 2 + 0.5) / (2 + 0.5)).
        var idf = Math.Log(1 + (1.5 / 2.5));
        Assert.Equal([2ul, 1ul], hits.Select(h => h.Id.Num));
        Assert.Equal(2 * idf, hits[0].Score, 5);
        Assert.Equal(0.5 * idf, hits[1].Score, 5);
    }

    [Fact]
    public async Task Query_RrfOverPrefetches_UsesKTwoByDefaultAndTheGivenK()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        using var client = await SeededAsync(qdrant);
        var prefetch = new List<PrefetchQuery>
        {
            new() { Query = new[] { 1f, 0, 0 }, Using = "dense", Limit = 3 },
            new() { Query = (new[] { 1f }, new uint[] { 7 }), Using = "bm25", Limit = 3 },
        };

        var byDefault = await client.QueryAsync("docs", query: Fusion.Rrf, prefetch: prefetch, cancellationToken: Cancel);
        var k60 = await client.QueryAsync("docs", query: new Rrf { K = 60 }, prefetch: prefetch, cancellationToken: Cancel);

        // Point 2: second in dense, first in sparse. Point 1: first in dense, second in sparse.
        Assert.Equal((1f / 3) + (1f / 2), byDefault.Single(h => h.Id.Num == 2).Score, 5);
        Assert.Equal((1f / 61) + (1f / 60), k60.Single(h => h.Id.Num == 2).Score, 5);
        Assert.Equal(3, byDefault.Count);
    }

    [Fact]
    public async Task Query_TopFilter_AppliesInsidePrefetches()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        using var client = await SeededAsync(qdrant);

        var hits = await client.QueryAsync(
            "docs",
            query: Fusion.Rrf,
            prefetch: [new() { Query = new[] { 1f, 0, 0 }, Using = "dense", Limit = 1 }],
            filter: MatchKeyword("page", "b"),
            payloadSelector: true,
            cancellationToken: Cancel);

        var hit = Assert.Single(hits);
        Assert.Equal(3ul, hit.Id.Num);
        Assert.Equal("b", hit.Payload["page"].StringValue);
    }

    [Fact]
    public async Task Scroll_LimitedPages_ChainThroughNextPageOffsetInIdOrder()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        using var client = Client(qdrant);
        await client.CreateCollectionAsync("docs", new VectorParams { Size = 2, Distance = Distance.Dot }, cancellationToken: Cancel);
        await client.UpsertAsync("docs", [.. Enumerable.Range(1, 250).Select(i => new PointStruct { Id = (ulong)i, Vectors = new[] { 1f, i }, Payload = { ["i"] = i } })], cancellationToken: Cancel);

        var ids = new List<ulong>();
        PointId? offset = null;
        var pages = 0;
        do
        {
            var page = await client.ScrollAsync("docs", filter: new Filter { MustNot = { HasId(13) } }, limit: 100, offset: offset, cancellationToken: Cancel);
            ids.AddRange(page.Result.Select(p => p.Id.Num));
            offset = page.NextPageOffset;
            pages++;
        }
        while (offset is not null);

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(1, 250).Where(i => i != 13).Select(i => (ulong)i), ids);
    }

    [Fact]
    public async Task DeleteByFilter_RemovesOnlyMatchingPoints()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        using var client = await SeededAsync(qdrant);

        await client.DeleteAsync("docs", new Filter { Must = { MatchKeyword("page", "a") }, MustNot = { HasId(2) } }, cancellationToken: Cancel);

        Assert.Equal([2ul, 3ul], qdrant.PointsOf("docs").Select(p => p.Id.Num));
    }

    [Fact]
    public async Task StrictMode_FilterOnUnindexedField_IsRefusedUntilIndexed()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        using var client = await SeededAsync(qdrant);
        qdrant.StrictMode = true;

        var error = await Assert.ThrowsAsync<RpcException>(() => client.CountAsync("docs", MatchKeyword("page", "a"), cancellationToken: Cancel));
        await client.CreatePayloadIndexAsync("docs", "page", PayloadSchemaType.Keyword, cancellationToken: Cancel);
        var count = await client.CountAsync("docs", MatchKeyword("page", "a"), cancellationToken: Cancel);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("Index required but not found for \"page\"", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(2ul, count);
        Assert.Equal(PayloadSchemaType.Keyword, (await client.GetCollectionInfoAsync("docs", Cancel)).PayloadSchema["page"].DataType);
    }

    [Fact]
    public async Task Upsert_SameId_ReplacesPointAndPayload()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        using var client = await SeededAsync(qdrant);

        await client.UpsertAsync("docs", [new PointStruct { Id = 1, Vectors = new Dictionary<string, Vector> { ["dense"] = new[] { 0f, 0, 1 } }, Payload = { ["page"] = "c", ["n"] = 2.5, ["tags"] = new[] { "x", "y" }, ["ok"] = true } }], cancellationToken: Cancel);

        var point = Assert.Single(await client.RetrieveAsync("docs", 1ul, withPayload: true, withVectors: true, cancellationToken: Cancel));
        Assert.Equal("c", point.Payload["page"].StringValue);
        Assert.Equal(2.5, point.Payload["n"].DoubleValue);
        Assert.Equal(["x", "y"], point.Payload["tags"].ListValue.Values.Select(v => v.StringValue));
        Assert.True(point.Payload["ok"].BoolValue);
        Assert.False(point.Vectors.Vectors.Vectors.ContainsKey("bm25"));
        Assert.Equal(3ul, await client.CountAsync("docs", cancellationToken: Cancel));
    }

    [Fact]
    public async Task Fault_FailWithOnOneMethod_LeavesOthersWorking()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        using var client = await SeededAsync(qdrant);
        qdrant.FailWith(StatusCode.ResourceExhausted, "Rate limiting exceeded", "qdrant.Points/Query");

        var error = await Assert.ThrowsAsync<RpcException>(() => client.QueryAsync("docs", query: new[] { 1f, 0, 0 }, usingVector: "dense", cancellationToken: Cancel));
        var count = await client.CountAsync("docs", cancellationToken: Cancel);
        qdrant.Heal();
        var hits = await client.QueryAsync("docs", query: new[] { 1f, 0, 0 }, usingVector: "dense", cancellationToken: Cancel);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal("Rate limiting exceeded", error.Status.Detail);
        Assert.Equal(3ul, count);
        Assert.Equal(3, hits.Count);
    }

    private static QdrantClient Client(QdrantDouble qdrant) => new(qdrant.Host, qdrant.Port, https: false, apiKey: qdrant.ApiKey);

    /// <summary>"docs": dense (3-d cosine) + sparse "bm25" (IDF); points 1..3 on pages a, a, b.</summary>
    private static async Task<QdrantClient> SeededAsync(QdrantDouble qdrant)
    {
        var client = Client(qdrant);
        await client.CreateCollectionAsync(
            "docs",
            new VectorParamsMap { Map = { ["dense"] = new VectorParams { Size = 3, Distance = Distance.Cosine } } },
            sparseVectorsConfig: new SparseVectorConfig { Map = { ["bm25"] = new SparseVectorParams { Modifier = Modifier.Idf } } },
            cancellationToken: Cancel);
        await client.UpsertAsync(
            "docs",
            [
                Point(1, "a", [5, 0, 0], [7, 8], [0.5f, 1]),
                Point(2, "a", [1, 1, 0], [7], [2]),
                Point(3, "b", [0, 1, 1], [9], [1]),
            ],
            cancellationToken: Cancel);
        return client;
    }

    private static PointStruct Point(ulong id, string page, float[] dense, uint[] indices, float[] values) => new()
    {
        Id = id,
        Vectors = new Dictionary<string, Vector> { ["dense"] = dense, ["bm25"] = (values, indices) },
        Payload = { ["page"] = page },
    };
}
