using Microsoft.Data.Sqlite;

namespace RagFunctions.Retrieval.VectorStore.Sqlite;

/// <summary>
/// A small SQLite database file next to the index (feedback, translations): pooled connections, a busy timeout,
/// its schema created once, on first use, and this process's writes one at a time (<see cref="ExecuteWriteAsync"/>).
/// </summary>
internal sealed class SqliteFile(string path, string schema) : IDisposable
{
    private readonly string connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 5,
    }.ToString();

    private readonly SemaphoreSlim schemaLock = new(1, 1);
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private volatile bool schemaReady;

    public string Path { get; } = path;

    /// <summary>An open connection, the schema in place; the caller disposes it.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        if (!schemaReady)
        {
            await schemaLock.WaitAsync(cancellationToken);
            try
            {
                if (!schemaReady)
                {
                    await using var command = connection.CreateCommand();
                    command.CommandText = schema;
                    await command.ExecuteNonQueryAsync(cancellationToken);
                    schemaReady = true;
                }
            }
            finally
            {
                schemaLock.Release();
            }
        }

        return connection;
    }

    /// <summary>
    /// Runs one write command, set up by <paramref name="prepare"/>, after this process's other writes. SQLite takes one
    /// writer at a time, and Microsoft.Data.Sqlite answers a locked file by sleeping on the calling thread (150 ms a try,
    /// up to the busy timeout): under load, concurrent answers would block the thread pool and then fail with
    /// "database is locked". Waiting here is asynchronous. <c>synchronous = NORMAL</c> (safe with WAL; a power cut may
    /// lose the last writes, never the file) keeps the lock short: no fsync per write.
    /// </summary>
    public async Task<int> ExecuteWriteAsync(Action<SqliteCommand> prepare, CancellationToken cancellationToken)
    {
        await writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA synchronous = NORMAL";
                await pragma.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var command = connection.CreateCommand();
            prepare(command);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            writeLock.Release();
        }
    }

    public void Dispose()
    {
        using (var connection = new SqliteConnection(connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        schemaLock.Dispose();
        writeLock.Dispose();
    }
}
