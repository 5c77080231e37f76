using Microsoft.Extensions.Options;
using RagFunctions.Feedback;
using RagFunctions.Retrieval.VectorStore.Sqlite;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Feedback;

public sealed class SqliteFeedbackStoreTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ManyConcurrentAnswers_AreAllRecorded()
    {
        using var store = new SqliteFeedbackStore(Options.Create(new SqliteStoreOptions { DataDir = TempDirectory.Create() }));
        var answers = Enumerable.Range(0, 200)
            .Select(i => new AnswerRecord($"answer-{i}", $"question {i}", "generative", null, null, DateTimeOffset.UtcNow, Refused: false))
            .ToArray();

        await Task.WhenAll(answers.Select(answer => Task.Run(() => store.RecordAnswerAsync(answer, Cancel), Cancel)));

        foreach (var answer in answers)
        {
            Assert.NotNull(await store.FindAnswerAsync(answer.AnswerId, Cancel));
        }
    }
}
