using Grpc.Core;
using RagFunctions.Tests.Fakes;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Faults;

/// <summary>The extractive answer reads the rest of the section it quotes; when the store cannot give it, the part found still answers.</summary>
public sealed class SectionReadFaultTests
{
    private const string QdrantKey = "qdrant-secret-key-456";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StoreThatCannotReadThePageAfterTheSearch_StillGetsTheExtractiveAnswer_AndTheLogSaysWhy()
    {
        await using var qdrant = await QdrantDouble.StartAsync(apiKey: QdrantKey, cancellationToken: Cancel);
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?>
        {
            ["QDRANT_URL"] = qdrant.Url,
            ["QDRANT_API_KEY"] = QdrantKey,
            ["BOOK_DOCS_DIR"] = FaultRequests.Ros2Docs(),
        });
        await app.StartupIngestion;
        var whole = await FaultRequests.ChatAnswerAsync(app);

        qdrant.FailWith(StatusCode.Unavailable, "connection refused", "qdrant.Points/Scroll");
        var partFound = await FaultRequests.ChatAnswerAsync(app, "What is a ROS 2 topic, in a few words?");

        Assert.Equal("extractive", whole.GetProperty("mode").GetString());
        Assert.Equal("extractive", partFound.GetProperty("mode").GetString());
        Assert.Contains("topic", partFound.GetProperty("answer").GetString()!, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(app.Logs.Lines, l => l.Contains("The rest of the section was not read", StringComparison.Ordinal));
        Assert.DoesNotContain(QdrantKey, app.Logs.All, StringComparison.Ordinal);
    }
}
