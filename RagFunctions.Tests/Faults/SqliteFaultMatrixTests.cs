using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using RagFunctions.Retrieval.VectorStore.Sqlite;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Faults;

/// <summary>
/// The embedded index (SQLite, WAL) locked, corrupt or gone under a running app: chat answers or says 503 plainly,
/// <c>/manage/ingest</c> names the cause, <c>/health</c> shows it; when the fault clears, the same app answers again.
/// The busy timeout is 0.5 s here (5 s by default).
/// </summary>
public sealed class SqliteFaultMatrixTests
{
    internal const string AdminKey = "admin-key-for-fault-tests-0123456789";
    private const string IndexUnavailable = "The book index is unavailable right now. Please try again in a moment.";
    private const string Locked = "is locked by another process (waited 0.5 s)";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>
    /// lock another connection holds | /chat meanwhile | /health's store status meanwhile.
    /// A write lock leaves readers alone (WAL): chat and health go on; only writers (ingest) wait, then fail clearly.
    /// An exclusive file lock (<c>locking_mode = EXCLUSIVE</c>) shuts readers out too.
    /// </summary>
    public static TheoryData<string, HttpStatusCode, string> Locks => new()
    {
        { "write lock (BEGIN EXCLUSIVE)", HttpStatusCode.OK, "ok" },
        { "exclusive file lock (PRAGMA locking_mode = EXCLUSIVE)", HttpStatusCode.ServiceUnavailable, "down" },
    };

    [Theory]
    [MemberData(nameof(Locks))]
    public async Task IndexLockedByAnotherConnection_IngestFailsClearly_AndAllRecoverWhenItIsReleased(
        string lockKind, HttpStatusCode chatWhileLocked, string healthWhileLocked)
    {
        await using var app = await StartAppAsync(await SampleBookIndex.CopyAsync());
        var path = DatabasePath(app);
        await FaultRequests.ChatAnswerAsync(app);

        await using (var holder = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await holder.OpenAsync(Cancel);
            if (lockKind.Contains("locking_mode", StringComparison.Ordinal))
            {
                // Only possible while no one else has the file open: the app's idle pooled connections let go of it
                // (as the pool does by itself after a while).
                SqliteConnection.ClearAllPools();
                await ExecuteAsync(holder, "PRAGMA locking_mode = EXCLUSIVE");
            }

            await ExecuteAsync(holder, "BEGIN EXCLUSIVE; UPDATE meta SET value = value WHERE key = 'version'");

            using (var chat = await FaultRequests.ChatAsync(app))
            {
                if (chatWhileLocked == HttpStatusCode.OK)
                {
                    Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
                }
                else
                {
                    var problem = await Problems.AssertAsync(chat, chatWhileLocked);
                    Assert.Equal(IndexUnavailable, problem.GetProperty("detail").GetString());
                    Assert.True(app.Logs.Lines.Any(l => l.Contains(Locked, StringComparison.Ordinal) && l.Contains("function=chat", StringComparison.Ordinal)), app.Logs.All);
                }
            }

            using (var ingest = await AdminIngestAsync(app))
            {
                var problem = await Problems.AssertAsync(ingest, HttpStatusCode.ServiceUnavailable);
                Assert.Contains(Locked, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }

            var health = await FaultRequests.StoreHealthAsync(app);
            Assert.Equal(healthWhileLocked, health.GetProperty("status").GetString());
        }

        // The other connection is closed: its locks are gone.
        using (var ingest = await AdminIngestAsync(app))
        {
            Assert.Equal(HttpStatusCode.OK, ingest.StatusCode);
        }

        await FaultRequests.ChatAnswerAsync(app);
        Assert.Equal("ok", (await FaultRequests.StoreHealthAsync(app)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task IndexHeaderCorrupted_Is503WithHealthDown_AndRecoversWhenTheFileIsRestored()
    {
        await using var app = await StartAppAsync(await SampleBookIndex.CopyAsync());
        var path = DatabasePath(app);
        await FaultRequests.ChatAnswerAsync(app);
        var header = new byte[100];
        await using (var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
        {
            await file.ReadExactlyAsync(header, Cancel);
            file.Position = 0;
            await file.WriteAsync(Enumerable.Repeat((byte)0xA5, header.Length).ToArray(), Cancel);
        }

        // Pooled connections keep the pages they have read; a new one reads the file, as happens once the pool recycles.
        SqliteConnection.ClearAllPools();

        using (var chat = await FaultRequests.ChatAsync(app))
        {
            var problem = await Problems.AssertAsync(chat, HttpStatusCode.ServiceUnavailable);
            Assert.Equal(IndexUnavailable, problem.GetProperty("detail").GetString());
        }

        var down = await FaultRequests.StoreHealthAsync(app);
        Assert.Equal("down", down.GetProperty("status").GetString());
        Assert.Contains("is not a readable SQLite index", down.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(app.Logs.Lines.Any(l => l.Contains("is not a readable SQLite index", StringComparison.Ordinal) && l.Contains("function=chat", StringComparison.Ordinal)), app.Logs.All);

        await using (var file = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
        {
            await file.WriteAsync(header, Cancel);
        }

        await FaultRequests.ChatAnswerAsync(app);
        Assert.Equal("ok", (await FaultRequests.StoreHealthAsync(app)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task IndexFileDeleted_Is503SayingRunIngest_AndAnIngestRebuildsItWithoutARestart()
    {
        await using var app = await StartAppAsync(await SampleBookIndex.CopyAsync());
        var path = DatabasePath(app);
        await FaultRequests.ChatAnswerAsync(app);

        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }

        using (var chat = await FaultRequests.ChatAsync(app))
        {
            var problem = await Problems.AssertAsync(chat, HttpStatusCode.ServiceUnavailable);
            Assert.Equal(IndexUnavailable, problem.GetProperty("detail").GetString());
        }

        var down = await FaultRequests.StoreHealthAsync(app);
        Assert.Equal("down", down.GetProperty("status").GetString());
        Assert.Contains("has no index tables (the file was deleted or replaced); run ingest", down.GetProperty("error").GetString(), StringComparison.Ordinal);

        using (var ingest = await AdminIngestAsync(app))
        {
            Assert.True(ingest.StatusCode == HttpStatusCode.OK, await ingest.Content.ReadAsStringAsync(Cancel));
        }

        await FaultRequests.ChatAnswerAsync(app);
        var up = await FaultRequests.StoreHealthAsync(app);
        Assert.Equal("ok", up.GetProperty("status").GetString());
        Assert.True(up.GetProperty("chunks").GetInt64() > 100);
    }

    /// <summary>The app on <paramref name="dataDir"/>, its start-up work (the index check, the warm-ups) done: the faults meet only the tests' requests.</summary>
    internal static async Task<TestApp> StartAppAsync(string dataDir, Action<SqliteStoreOptions>? tune = null)
    {
        var app = await TestApp.StartAsync(
            new Dictionary<string, string?> { ["RAG_DATA_DIR"] = dataDir, ["ADMIN_API_KEY"] = AdminKey },
            (services, configuration) =>
            {
                AppServices.Add(services, configuration);
                services.PostConfigure<SqliteStoreOptions>(o =>
                {
                    o.BusyTimeout = TimeSpan.FromMilliseconds(500);
                    tune?.Invoke(o);
                });
            });
        await app.StartupIngestion;
        await app.Warmups;
        return app;
    }

    internal static async Task<HttpResponseMessage> AdminIngestAsync(TestApp app)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/manage/ingest");
        request.Headers.Add("X-Admin-Key", AdminKey);
        return await app.Client.SendAsync(request, Cancel);
    }

    internal static string DatabasePath(TestApp app)
        => app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SqliteStoreOptions>>().Value.DatabasePath;

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Cancel);
    }
}
