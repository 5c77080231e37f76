using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using RagFunctions.Retrieval.Embeddings;

namespace RagFunctions.Tests.Retrieval.Embeddings;

public sealed class LocalEmbeddingGeneratorTests
{
    private static readonly string[] Questions =
    [
        "What is a URDF joint?", "How does AMCL localise the robot?", "What is the zero moment point?",
        "How do I list the topics of a running ROS 2 system?", "What does domain randomization do in sim-to-real transfer?",
        "MoveIt", "How does a humanoid keep its balance while walking on uneven ground with a heavy load?",
    ];

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task QueriesAskedTogether_GetTheSameVectorsAsAskedAlone()
    {
        using var generator = new LocalEmbeddingGenerator();
        var alone = new List<ReadOnlyMemory<float>>();
        foreach (var question in Questions)
        {
            alone.Add(await generator.EmbedQueryAsync(question, Cancel));
        }

        // Several rounds of all questions at once: most of them wait while the cores are busy and run as one batch.
        for (var round = 0; round < 3; round++)
        {
            var together = await Task.WhenAll(Questions.Select(q => generator.EmbedQueryAsync(q, Cancel)));
            for (var i = 0; i < Questions.Length; i++)
            {
                Assert.Equal(LocalEmbeddingGenerator.Dimensions, together[i].Length);
                Assert.True(TensorPrimitives.CosineSimilarity(alone[i].Span, together[i].Span) > 0.9999, $"'{Questions[i]}' changed when batched");
            }
        }
    }

    [Fact]
    public async Task DocumentsAndQueries_AreEmbeddedDifferently_InOrder()
    {
        using var generator = new LocalEmbeddingGenerator();
        var texts = Enumerable.Range(0, 40).Select(i => $"Section {i}: the robot reads its IMU {i} times a second.").ToArray();

        var documents = await generator.EmbedDocumentsAsync(texts, Cancel);
        var query = await generator.EmbedQueryAsync(texts[17], Cancel);

        Assert.Equal(texts.Length, documents.Count);
        var again = await generator.EmbedDocumentsAsync([texts[17]], Cancel);
        Assert.True(TensorPrimitives.CosineSimilarity(documents[17].Span, again[0].Span) > 0.9999);
        Assert.True(TensorPrimitives.CosineSimilarity(documents[17].Span, query.Span) < 0.9999, "the query prefix must change the vector");
    }

    [Fact]
    public async Task ACancelledCaller_GetsCancelled_AndOthersAreServed()
    {
        using var generator = new LocalEmbeddingGenerator();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => generator.EmbedQueryAsync("What is a URDF joint?", cancelled.Token));
        Assert.Equal(LocalEmbeddingGenerator.Dimensions, (await generator.EmbedQueryAsync("What is a URDF joint?", Cancel)).Length);
    }
}
