using RagFunctions.Retrieval.VectorStore;
using RagFunctions.Tests.Fakes;
using static RagFunctions.Tests.Retrieval.Qdrant.BookData;

namespace RagFunctions.Tests.Retrieval.Qdrant;

public sealed class QdrantSmokeTests
{
    [Fact]
    public async Task RoundTrip_Works()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var qdrant = await QdrantDouble.StartAsync(apiKey: "k", ct);
        using var t = QdrantTestStore.For(qdrant);
        await t.Store.EnsureReadyAsync(Embedding, ct);
        await t.Store.WritePageAsync(Page(Intro, Indexed(Chunk(Intro, 0, "ROS 2 is a middleware for robots"), 1, 0, 0, 0), Indexed(Chunk(Intro, 1, "Sensors measure the world"), 0, 1, 0, 0)), ct);
        var hits = await t.Store.SearchAsync(new SearchRequest(new float[] { 1, 0.1f, 0, 0 }, "middleware", 5), ct);
        Assert.Equal(2, hits.Count);
        Assert.Equal(0, hits[0].Chunk.Position);
        var page = await t.Store.GetPageAsync(Intro, ct);
        Assert.Equal(2, page.Count);
        var stats = await t.Store.GetStatsAsync(ct);
        Assert.Equal(2, stats.Chunks);
        Assert.Equal(1, stats.Pages);
    }
}
