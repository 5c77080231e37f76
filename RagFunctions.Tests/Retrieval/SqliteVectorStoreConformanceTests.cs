using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RagFunctions.Retrieval.VectorStore;
using RagFunctions.Retrieval.VectorStore.Sqlite;
using RagFunctions.Tests.Support;
using static RagFunctions.Tests.Retrieval.TestChunks;

namespace RagFunctions.Tests.Retrieval;

/// <summary>The conformance suite on the SQLite store (a new folder per test), plus what only SQLite promises.</summary>
public sealed class SqliteVectorStoreConformanceTests : VectorStoreConformanceTests
{
    private readonly string directory = TempDirectory.Create();
    private readonly List<SqliteVectorStore> opened = [];

    private string DatabasePath => Path.Combine(directory, SqliteStoreOptions.DatabaseFileName);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var store in opened)
        {
            store.Dispose();
        }

        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not a test failure.
        }
    }

    [Fact]
    public async Task EnsureReady_NewFile_IsInWalMode()
    {
        await ReadyStoreAsync();

        await using var connection = await OpenRawAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";

        Assert.Equal("wal", await command.ExecuteScalarAsync(Cancel));
        Assert.True(File.Exists(DatabasePath));
    }

    [Fact]
    public async Task ConcurrentReaderAndWriter_ReaderNeverSeesHalfAPage()
    {
        var store = await ReadyStoreAsync();
        const int Chunks = 4;
        const int Generations = 40;
        await store.WritePageAsync(Generation(0), Cancel);
        var firstRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var writerDone = 0;

        var reader = Task.Run(async () =>
        {
            var reads = 0;
            var modes = new[] { SearchMode.Hybrid, SearchMode.Keyword, SearchMode.Dense };
            while (Volatile.Read(ref writerDone) == 0)
            {
                var hits = await store.SearchAsync(Search("generation marker", Axis(0), limit: 10, mode: modes[reads % 3], page: "live"), Cancel);
                Assert.Equal(Chunks, hits.Count);
                Assert.Single(hits.Select(h => h.Chunk.ContentHash).Distinct());
                var page = await store.GetPageAsync(PageUrl("live"), Cancel);
                Assert.Equal(Chunks, page.Count);
                Assert.Single(page.Select(c => c.ContentHash).Distinct());
                reads++;
                firstRead.TrySetResult();
            }

            return reads;
        }, Cancel);
        var writer = Task.Run(async () =>
        {
            try
            {
                await firstRead.Task.WaitAsync(Cancel);
                for (var generation = 1; generation <= Generations; generation++)
                {
                    await store.WritePageAsync(Generation(generation), Cancel);
                }
            }
            finally
            {
                Volatile.Write(ref writerDone, 1);
            }
        }, Cancel);

        await writer;
        Assert.True(await reader > 0);
        Assert.Equal($"gen-{Generations}", (await store.GetPageAsync(PageUrl("live"), Cancel))[0].ContentHash);

        // Ids alternate a, b, a, a, b, a, …: each write either replaces every chunk in place or swaps in new ids.
        static PageWrite Generation(int generation)
        {
            var prefix = generation % 3 == 1 ? "b" : "a";
            var chunks = Enumerable.Range(0, Chunks)
                .Select(i => Chunk($"{prefix}-{i}", $"Generation marker {generation} part {i}.", "live", i, hash: $"gen-{generation}")
                    .With(AtCosine(1 - (0.1 * i), otherAxis: 1 + ((generation + i) % 7))))
                .ToArray();
            return Page(chunks);
        }
    }

    [Fact]
    public async Task Reopen_NewInstanceOnTheSameFolder_SeesTheIndex()
    {
        var first = Open();
        await first.EnsureReadyAsync(Model, Cancel);
        await first.WritePageAsync(Page(Chunk("a", "Persistent gripper notes.").With(Axis(0))), Cancel);
        await first.MarkBuiltAsync(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), Cancel);
        first.Dispose();

        var second = Open();
        await second.EnsureReadyAsync(Model, Cancel);

        Assert.Equal("a", Assert.Single(await second.GetPageAsync(PageUrl("intro"), Cancel)).Id);
        Assert.Equal("a", Assert.Single(await second.SearchAsync(Search("gripper", Axis(0)), Cancel)).Chunk.Id);
        var stats = await second.GetStatsAsync(Cancel);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), stats.BuiltAt);
        await Assert.ThrowsAsync<IndexMismatchException>(() => Open().EnsureReadyAsync(Model with { Dimensions = 16 }, Cancel));
    }

    [Fact]
    public async Task WritePage_DatabaseLockedByAnotherWriter_ThrowsVectorStoreExceptionNamingThePath()
    {
        var store = Open(busyTimeout: TimeSpan.FromMilliseconds(100));
        await store.EnsureReadyAsync(Model, Cancel);
        await store.WritePageAsync(Page(Chunk("a", "Gripper notes.").With(Axis(0))), Cancel);
        await using var other = await OpenRawAsync();
        await using var lockCommand = other.CreateCommand();
        lockCommand.CommandText = "BEGIN IMMEDIATE; INSERT INTO meta (key, value) VALUES ('held', 1);";
        await lockCommand.ExecuteNonQueryAsync(Cancel);

        var ex = await Assert.ThrowsAsync<VectorStoreException>(
            () => store.WritePageAsync(Page(Chunk("b", "More notes.").With(Axis(1))), Cancel));

        Assert.Contains(DatabasePath, ex.Message, StringComparison.Ordinal);
        Assert.Contains("locked by another process", ex.Message, StringComparison.Ordinal);
        Assert.IsType<SqliteException>(ex.InnerException);
        // Readers are not blocked by the writer (WAL).
        Assert.Single(await store.SearchAsync(Search("gripper", Axis(0)), Cancel));
    }

    [Theory]
    [InlineData(5, "is locked by another process")]
    [InlineData(6, "is locked by another process")]
    [InlineData(13, "Disk full while writing the index at")]
    [InlineData(14, "Cannot open the SQLite index at")]
    [InlineData(8, "Cannot open the SQLite index at")]
    [InlineData(778, "I/O error on the SQLite index at")]
    [InlineData(26, "is not a readable SQLite index")]
    public void Explain_ResultCodesAPersonCanActOn_NameThePathAndWhatToDo(int code, string expected)
    {
        var message = Open().Explain(new SqliteException("native message", code));

        Assert.NotNull(message);
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.Contains(DatabasePath, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_ProgrammingErrors_AreLeftAsTheyAre()
    {
        Assert.Null(Open().Explain(new SqliteException("SQL logic error", 1)));
    }

    [Fact]
    public async Task EnsureReady_FileIsNotADatabase_ThrowsVectorStoreException()
    {
        await File.WriteAllTextAsync(DatabasePath, string.Concat(Enumerable.Repeat("not a database ", 400)), Cancel);
        var store = Open();

        var ex = await Assert.ThrowsAsync<VectorStoreException>(() => store.EnsureReadyAsync(Model, Cancel));

        Assert.Contains(DatabasePath, ex.Message, StringComparison.Ordinal);
        Assert.Contains("not a readable SQLite index", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_FileIsNotADatabase_ReportsItInsteadOfThrowing()
    {
        await File.WriteAllTextAsync(DatabasePath, string.Concat(Enumerable.Repeat("not a database ", 400)), Cancel);

        var probe = await Open().ProbeAsync(Cancel);

        Assert.False(probe.Ok);
        Assert.Contains(DatabasePath, probe.Error, StringComparison.Ordinal);
        Assert.Contains("not a readable SQLite index", probe.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureReady_FileWrittenByANewerSchema_ThrowsVectorStoreExceptionNamingTheFile()
    {
        await ReadyStoreAsync();
        await using (var connection = await OpenRawAsync())
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA user_version = {SqliteSchema.Version + 1}";
            await command.ExecuteNonQueryAsync(Cancel);
        }

        var ex = await Assert.ThrowsAsync<VectorStoreException>(() => Open().EnsureReadyAsync(Model, Cancel));

        Assert.Contains(DatabasePath, ex.Message, StringComparison.Ordinal);
        Assert.Contains("newer version of this app", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureReady_OtherCollectionNameOnAFilledIndex_ThrowsVectorStoreException()
    {
        var store = await ReadyStoreAsync();
        await store.WritePageAsync(Page(Chunk("a", "Gripper notes.").With(Axis(0))), Cancel);

        var ex = await Assert.ThrowsAsync<VectorStoreException>(() => Open(collection: "other-book").EnsureReadyAsync(Model, Cancel));

        Assert.Contains("COLLECTION_NAME", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'book'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureReady_OtherCollectionNameOnAnEmptyIndex_TakesTheNewName()
    {
        await ReadyStoreAsync();

        await Open(collection: "other-book").EnsureReadyAsync(Model, Cancel);

        Assert.Equal("other-book", await MetaAsync("index_name"));
    }

    [Fact]
    public async Task EnsureReady_NewIndex_RecordsIndexNameModelAndSchemaVersionInMeta()
    {
        await ReadyStoreAsync();

        Assert.Equal("book", await MetaAsync("index_name"));
        Assert.Equal(Model.Model, await MetaAsync("embedding_model"));
        Assert.Equal((long)Dimensions, await MetaAsync("embedding_dimensions"));
        Assert.Equal((long)SqliteSchema.Version, await MetaAsync("schema_version"));
    }

    [Fact]
    public async Task FullTextIndex_AfterUpsertsReplacementsAndDeletes_MatchesTheRows()
    {
        var store = await ReadyStoreAsync();
        await store.WritePageAsync(Page(Chunk("a", "one", position: 0).With(Axis(0)), Chunk("b", "two", position: 1).With(Axis(1))), Cancel);
        await store.WritePageAsync(Page(Chunk("a", "uno", position: 0).With(Axis(0)), Chunk("c", "tres", position: 2).With(Axis(2))), Cancel);
        await store.WritePageAsync(Page(Chunk("x", "other", page: "other").With(Axis(3))), Cancel);
        await store.DeletePagesAsync([PageUrl("other")], Cancel);

        await using var connection = await OpenRawAsync();
        await using var check = connection.CreateCommand();
        check.CommandText = "INSERT INTO chunks_fts (chunks_fts) VALUES ('integrity-check')";
        await check.ExecuteNonQueryAsync(Cancel);

        Assert.Equal(["a", "c"], (await store.GetPageAsync(PageUrl("intro"), Cancel)).Select(c => c.Id));
        Assert.Empty(await store.SearchAsync(Search("one two other", mode: SearchMode.Keyword), Cancel));
    }

    [Fact]
    public async Task KeywordSearch_UrduQuestion_FindsTheUrduChunk()
    {
        var store = await ReadyStoreAsync();
        await store.WritePageAsync(Page(
            Chunk("en", "The robot arm is driven by motors.", position: 0).With(Axis(0)),
            Chunk("ur", "روبوٹ کا بازو موٹروں سے چلتا ہے۔", position: 1).With(Axis(1))), Cancel);

        var hits = await store.SearchAsync(Search("روبوٹ کا بازو کیسے چلتا ہے؟", mode: SearchMode.Keyword), Cancel);

        Assert.Equal("ur", Assert.Single(hits).Chunk.Id);
    }

    [Fact]
    public async Task KeywordSearch_WordForms_MatchThroughStemming()
    {
        var store = await ReadyStoreAsync();
        await store.WritePageAsync(Page(Chunk("a", "Calibrating the grippers takes a minute.").With(Axis(0))), Cancel);

        Assert.Single(await store.SearchAsync(Search("gripper calibration", mode: SearchMode.Keyword), Cancel));
    }

    [Fact]
    public async Task KeywordSearch_HeadingMatch_OutranksTheSameWordInText()
    {
        var store = await ReadyStoreAsync();
        await store.WritePageAsync(Page(
            Chunk("text", "Some words, then odometry once.", position: 0, heading: "Sensors").With(Axis(0)),
            Chunk("heading", "Some words, then nothing special.", position: 1, heading: "Odometry").With(Axis(1))), Cancel);

        var hits = await store.SearchAsync(Search("odometry", mode: SearchMode.Keyword), Cancel);

        Assert.Equal(["heading", "text"], hits.Select(h => h.Chunk.Id));
    }

    [Fact]
    public async Task KeywordSearch_WithAQueryVector_GivesEveryHitItsDenseScore()
    {
        var store = await ReadyStoreAsync();
        await store.WritePageAsync(Page(Chunk("a", "Gripper torque.").With(AtCosine(0.6))), Cancel);

        var withVector = Assert.Single(await store.SearchAsync(Search("gripper", Axis(0), mode: SearchMode.Keyword), Cancel));
        var withoutVector = Assert.Single(await store.SearchAsync(
            new SearchRequest(ReadOnlyMemory<float>.Empty, "gripper", 5, SearchMode.Keyword), Cancel));

        Assert.Equal(0.6, withVector.DenseScore!.Value, 4);
        Assert.True(withVector.Score > 0);
        Assert.Null(withoutVector.DenseScore);
    }

    [Fact]
    public async Task WritePage_VectorOfTheWrongSize_ThrowsArgumentException()
    {
        var store = await ReadyStoreAsync();

        await Assert.ThrowsAsync<ArgumentException>(
            () => store.WritePageAsync(Page(Chunk("a", "x").With(new float[Dimensions + 1])), Cancel));
        await Assert.ThrowsAsync<ArgumentException>(
            () => store.SearchAsync(Search("x", new float[Dimensions - 1]), Cancel));
    }

    [Fact]
    public async Task WritePage_BeforeEnsureReady_ThrowsInvalidOperation()
    {
        var store = Open();

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => store.WritePageAsync(Page(Chunk("a", "x").With(Axis(0))), Cancel));
        Assert.Equal(0, (await store.GetStatsAsync(Cancel)).Chunks);
    }

    private protected override Task<IVectorStore> CreateStoreAsync(EmbeddingModelInfo embedding) => Task.FromResult<IVectorStore>(Open());

    private SqliteVectorStore Open(string? collection = null, TimeSpan? busyTimeout = null)
    {
        var options = new SqliteStoreOptions
        {
            DataDir = directory,
            CollectionName = collection,
            BusyTimeout = busyTimeout ?? TimeSpan.FromSeconds(5),
        };
        var store = new SqliteVectorStore(Options.Create(options), NullLogger<SqliteVectorStore>.Instance);
        opened.Add(store);
        return store;
    }

    private async Task<SqliteConnection> OpenRawAsync()
    {
        var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync(Cancel);
        return connection;
    }

    private async Task<object?> MetaAsync(string key)
    {
        await using var connection = await OpenRawAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        return await command.ExecuteScalarAsync(Cancel);
    }
}
