using RagFunctions.Cohere;
using RagFunctions.Tests.Fakes;

namespace RagFunctions.Tests.Cohere;

public sealed class CohereRerankerTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RerankAsync_Documents_ComeBackMostRelevantFirstCutToTopN()
    {
        await using var harness = await CohereHarness.StartAsync();
        string[] documents = ["Cats purr.", "ROS 2 nodes talk over topics.", "Topics in ROS 2", "Bread is baked."];

        var results = await harness.Reranker.RerankAsync("ROS 2 topics", documents, topN: 2, Cancel);

        Assert.Equal([2, 1], results.Select(r => r.Index));
        Assert.True(results[0].Score >= results[1].Score);
        Assert.All(results, r => Assert.InRange(r.Score, 0, 1));
        var json = Assert.Single(harness.Cohere.RequestsTo(CohereDouble.RerankPath)).Json;
        Assert.Equal(CohereHarness.RerankModel, json.GetProperty("model").GetString());
        Assert.Equal("ROS 2 topics", json.GetProperty("query").GetString());
        Assert.Equal(documents, json.GetProperty("documents").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(2, json.GetProperty("top_n").GetInt32());
    }

    [Fact]
    public async Task RerankAsync_IdenticalText_ScoresOne()
    {
        await using var harness = await CohereHarness.StartAsync();

        var results = await harness.Reranker.RerankAsync("What is URDF?", ["Gazebo", "What is URDF?"], topN: 10, Cancel);

        Assert.Equal(2, results.Count);
        Assert.Equal(new RerankResult(1, 1), results[0]);
    }

    [Fact]
    public async Task RerankAsync_NoDocuments_CallsNobody()
    {
        await using var harness = await CohereHarness.StartAsync();

        var results = await harness.Reranker.RerankAsync("query", [], topN: 5, Cancel);

        Assert.Empty(results);
        Assert.Empty(harness.Cohere.Requests);
    }
}
