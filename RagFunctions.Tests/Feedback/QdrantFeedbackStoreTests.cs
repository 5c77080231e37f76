using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RagFunctions.Feedback;
using RagFunctions.Retrieval.VectorStore.Qdrant;
using RagFunctions.Tests.Fakes;

namespace RagFunctions.Tests.Feedback;

public sealed class QdrantFeedbackStoreTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RoundTrip_AnswersAndRatings_LiveInTheFeedbackCollection()
    {
        await using var qdrant = await QdrantDouble.StartAsync(apiKey: "qdrant-key", cancellationToken: Cancel);
        var options = new QdrantStoreOptions { Url = qdrant.Url, ApiKey = "qdrant-key", CollectionName = "handbook" };
        using var client = QdrantServiceCollectionExtensions.CreateClient(options);
        var store = new QdrantFeedbackStore(client, Options.Create(options), NullLogger<QdrantFeedbackStore>.Instance);
        var at = new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
        var answered = new AnswerRecord(Guid.NewGuid().ToString("N"), "What is a node?", "extractive", "ROS 2", "https://book/ros2", at, Refused: false);
        var refused = new AnswerRecord(Guid.NewGuid().ToString("N"), "Cake?", "refusal", null, null, at, Refused: true);
        var ignored = new AnswerRecord(Guid.NewGuid().ToString("N"), "Fine?", "extractive", "ROS 2", null, at, Refused: false);

        foreach (var answer in new[] { answered, refused, ignored })
        {
            await store.RecordAnswerAsync(answer, Cancel);
        }

        await store.AddFeedbackAsync(new FeedbackRecord(Guid.NewGuid().ToString("N"), answered.AnswerId, "down", "incorrect", null, at), Cancel);
        var found = await store.FindAnswerAsync(answered.AnswerId, Cancel);
        var missing = await store.FindAnswerAsync(Guid.NewGuid().ToString("N"), Cancel);
        var (answers, feedback) = await store.ReadGapsAsync(Cancel);

        Assert.Equal(answered, found);
        Assert.Null(missing);
        Assert.Equal(new[] { answered.AnswerId, refused.AnswerId }.Order(StringComparer.Ordinal), answers.Select(a => a.AnswerId).Order(StringComparer.Ordinal));
        Assert.Equal("incorrect", Assert.Single(feedback).Reason);
        Assert.Contains("handbook_feedback", qdrant.CollectionNames);
        Assert.All(qdrant.Calls.Where(c => c.Method != "qdrant.Qdrant/HealthCheck"), c => Assert.True(c.HadApiKey));
    }
}
