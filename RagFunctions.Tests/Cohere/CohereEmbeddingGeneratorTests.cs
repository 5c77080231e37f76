using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using RagFunctions.Cohere;
using RagFunctions.Hosting;
using RagFunctions.Retrieval.Embeddings;
using RagFunctions.Tests.Fakes;

namespace RagFunctions.Tests.Cohere;

public sealed class CohereEmbeddingGeneratorTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GenerateAsync_MoreThan96Texts_SplitsCallsAndKeepsInputOrder()
    {
        await using var harness = await CohereHarness.StartAsync();
        var texts = Enumerable.Range(0, 200).Select(i => $"Passage {i} about robots.").ToArray();

        var vectors = await harness.Embeddings.EmbedDocumentsAsync(texts, Cancel);

        var calls = harness.Cohere.RequestsTo(CohereDouble.EmbedPath);
        Assert.Equal([96, 96, 8], calls.Select(c => c.Json.GetProperty("texts").GetArrayLength()));
        Assert.Equal(texts, calls.SelectMany(c => c.Json.GetProperty("texts").EnumerateArray().Select(t => t.GetString())));
        Assert.All(calls, c =>
        {
            Assert.Equal("embed-multilingual-v3.0", c.Json.GetProperty("model").GetString());
            Assert.Equal("search_document", c.Json.GetProperty("input_type").GetString());
            Assert.Equal(["float"], c.Json.GetProperty("embedding_types").EnumerateArray().Select(t => t.GetString()));
            Assert.Equal("Bearer " + harness.Cohere.ApiKey, c.Header("Authorization"));
        });
        Assert.Equal(200, vectors.Count);
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(CohereDouble.VectorFor(texts[i], 1024), vectors[i].ToArray());
        }
    }

    [Fact]
    public async Task GenerateAsync_Purpose_SetsInputType()
    {
        await using var harness = await CohereHarness.StartAsync();

        await harness.Embeddings.EmbedQueryAsync("What is ROS 2?", Cancel);
        await harness.Embeddings.EmbedDocumentsAsync(["ROS 2 is a middleware."], Cancel);
        await harness.Embeddings.GenerateAsync(["No purpose given."], cancellationToken: Cancel);

        Assert.Equal(
            ["search_query", "search_document", "search_document"],
            harness.Cohere.RequestsTo(CohereDouble.EmbedPath).Select(c => c.Json.GetProperty("input_type").GetString()));
    }

    [Fact]
    public async Task GenerateAsync_IdenticalText_ScoresHighest()
    {
        await using var harness = await CohereHarness.StartAsync();
        string[] documents = ["Gazebo simulates robots.", "ROS 2 is a middleware for robots.", "URDF describes links."];

        var vectors = await harness.Embeddings.EmbedDocumentsAsync(documents, Cancel);
        var query = await harness.Embeddings.EmbedQueryAsync("ROS 2 is a middleware for robots.", Cancel);

        var scores = vectors.Select(v => TensorPrimitives.CosineSimilarity(query.Span, v.Span)).ToArray();
        Assert.Equal(1, Array.IndexOf(scores, scores.Max()));
        Assert.Equal(1f, scores[1], 4);
        Assert.All(vectors, v => Assert.Equal(1f, TensorPrimitives.Norm(v.Span), 4));
    }

    [Theory]
    [InlineData("embed-multilingual-v3.0", 1024)]
    [InlineData("embed-english-v3.0", 1024)]
    [InlineData("embed-english-light-v3.0", 384)]
    [InlineData("embed-multilingual-light-v3.0", 384)]
    [InlineData("embed-v4.0", 1536)]
    public async Task Metadata_ModelAndDimensions_MatchWhatCohereReturns(string model, int dimensions)
    {
        await using var harness = await CohereHarness.StartAsync(settings: new Dictionary<string, string?> { [EnvironmentVariables.CohereEmbedModel] = model });

        var metadata = harness.Embeddings.GetService<EmbeddingGeneratorMetadata>()!;
        var vector = await harness.Embeddings.EmbedQueryAsync("robots", Cancel);

        Assert.Equal("cohere", metadata.ProviderName);
        Assert.Equal(model, metadata.DefaultModelId);
        Assert.Equal(dimensions, metadata.DefaultModelDimensions);
        Assert.Equal(dimensions, vector.Length);
    }

    [Fact]
    public async Task GenerateAsync_NoTexts_CallsNobody()
    {
        await using var harness = await CohereHarness.StartAsync();

        var embeddings = await harness.Embeddings.GenerateAsync([], cancellationToken: Cancel);

        Assert.Empty(embeddings);
        Assert.Empty(harness.Cohere.Requests);
    }

    [Fact]
    public async Task GenerateAsync_RateLimitedBatch_IsRetriedAndOrderKept()
    {
        await using var harness = await CohereHarness.StartAsync();
        var texts = Enumerable.Range(0, 100).Select(i => $"text {i}").ToArray();
        harness.Cohere.Enqueue(CohereDouble.EmbedPath, CohereFault.RateLimited(retryAfter: "0"));

        var vectors = await harness.Embeddings.EmbedDocumentsAsync(texts, Cancel);

        Assert.Equal(3, harness.Cohere.RequestsTo(CohereDouble.EmbedPath).Count);
        Assert.Equal(CohereDouble.VectorFor(texts[99], 1024), vectors[99].ToArray());
    }
}
