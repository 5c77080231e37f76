using Microsoft.Data.Sqlite;

namespace RagFunctions.Retrieval.VectorStore.Sqlite;

/// <summary>
/// A small SQLite database file next to the index (feedback, translations): pooled connections, a busy timeout,
/// and its schema created once, on first use.
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

    public void Dispose()
    {
        using (var connection = new SqliteConnection(connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        schemaLock.Dispose();
    }
}
