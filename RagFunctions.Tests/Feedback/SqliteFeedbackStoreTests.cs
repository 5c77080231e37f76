using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using RagFunctions.Feedback;
using RagFunctions.Retrieval.VectorStore;
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

    [Fact]
    public async Task FeedbackDatabase_OpensLikeTheIndex_WalAndVersioned()
    {
        var directory = TempDirectory.Create();
        using (var store = new SqliteFeedbackStore(Options.Create(new SqliteStoreOptions { DataDir = directory })))
        {
            await store.RecordAnswerAsync(new AnswerRecord("a", "q", "extractive", null, null, DateTimeOffset.UtcNow, Refused: true), Cancel);
        }

        await using var connection = new SqliteConnection($"Data Source={Path.Combine(directory, SqliteFeedbackStore.FileName)};Pooling=False");
        await connection.OpenAsync(Cancel);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", await command.ExecuteScalarAsync(Cancel));
        command.CommandText = "PRAGMA user_version";
        Assert.Equal(1L, await command.ExecuteScalarAsync(Cancel));
    }

    [Fact]
    public async Task FeedbackDatabase_Unreadable_FailsWithAVectorStoreExceptionNamingTheFile()
    {
        var directory = TempDirectory.Create();
        var path = Path.Combine(directory, SqliteFeedbackStore.FileName);
        await File.WriteAllTextAsync(path, string.Concat(Enumerable.Repeat("not a database ", 400)), Cancel);
        using var store = new SqliteFeedbackStore(Options.Create(new SqliteStoreOptions { DataDir = directory }));

        var ex = await Assert.ThrowsAsync<VectorStoreException>(() => store.FindAnswerAsync("a", Cancel));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains("not a readable SQLite feedback database", ex.Message, StringComparison.Ordinal);
    }
}
