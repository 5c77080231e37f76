using System.Globalization;
using Microsoft.Data.Sqlite;
using RagFunctions.Hosting;

namespace RagFunctions.Retrieval.VectorStore.Sqlite;

/// <summary>
/// What one SQLite file holds: <paramref name="Name"/> for messages ("index", "feedback database"), its tables
/// (<paramref name="Create"/>, idempotent) at <paramref name="Version"/>, and what the operator does when the file is
/// unreadable (<paramref name="Rebuild"/>) or lost its tables (<paramref name="Recreate"/>).
/// </summary>
internal sealed record SqliteSchemaDefinition(string Name, int Version, string Create, string Rebuild, string Recreate);

/// <summary>
/// The one way this app opens a SQLite file (the index, the translation cache, the feedback): pooled connections with
/// the same pragmas (busy timeout, <c>synchronous = NORMAL</c>), WAL, the schema created and its version checked in one
/// place (<c>PRAGMA user_version</c>), one writer at a time in this process, and the result codes an operator can act
/// on turned into <see cref="VectorStoreException"/>s that name the file and the fix.
/// </summary>
/// <remarks>
/// Writers wait here asynchronously: SQLite takes one writer at a time, and Microsoft.Data.Sqlite answers a locked file
/// by sleeping on the calling thread, so concurrent requests would block the thread pool. A write is one
/// <c>BEGIN IMMEDIATE</c> transaction; a newer schema version than <see cref="SqliteSchemaDefinition.Version"/> stops
/// with a message (older files are brought up to date by the idempotent schema: the place for a migration step).
/// </remarks>
internal sealed class SqliteDatabase : IDisposable
{
    private readonly SqliteSchemaDefinition schema;
    private readonly SqliteStoreOptions options;
    private readonly string connectionString;
    private readonly SemaphoreSlim schemaLock = new(1, 1);
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private volatile bool schemaReady;

    public SqliteDatabase(string path, SqliteSchemaDefinition schema, SqliteStoreOptions options)
    {
        Path = path;
        this.schema = schema;
        this.options = options;
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
        }.ToString();
    }

    /// <summary>Full path of the database file.</summary>
    public string Path { get; }

    /// <summary>Runs <paramref name="work"/> on a pooled connection, the schema in place.</summary>
    public async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        return await RunAsync(work, cancellationToken);
    }

    /// <summary>One write transaction (<c>BEGIN IMMEDIATE</c>), after this process's other writes, the schema in place.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        return await WriteCoreAsync(work, beforeTransaction: null, cancellationToken);
    }

    /// <summary>One write statement, its parameters set by <paramref name="bind"/>; the number of rows it changed.</summary>
    public Task<int> ExecuteAsync(string sql, Action<SqliteParameterCollection> bind, CancellationToken cancellationToken)
        => WriteAsync(async (connection, transaction) =>
        {
            await using var command = Command(connection, transaction, sql);
            bind(command.Parameters);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// Creates the folder, switches the file to WAL, checks the schema version and creates missing tables: once per
    /// instance, or <paramref name="again"/> (a failure then leaves reads as they were: they need no write).
    /// </summary>
    public async Task EnsureSchemaAsync(CancellationToken cancellationToken, bool again = false)
    {
        if (schemaReady && !again)
        {
            return;
        }

        await schemaLock.WaitAsync(cancellationToken);
        try
        {
            if (schemaReady && !again)
            {
                return;
            }

            try
            {
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new VectorStoreException(
                    $"Cannot create the folder of the SQLite {schema.Name} at {Path}; set {EnvironmentVariables.DataDir} to a folder this process can write.", ex);
            }

            await WriteCoreAsync(async (connection, transaction) =>
            {
                var version = await ScalarAsync<long>(connection, transaction, "PRAGMA user_version", cancellationToken);
                if (version > schema.Version)
                {
                    throw new VectorStoreException(
                        $"The SQLite {schema.Name} at {Path} was written by a newer version of this app (schema {version}, this one reads {schema.Version}); " +
                        $"update the app, or {schema.Rebuild}.");
                }

                await using var create = Command(connection, transaction, schema.Create);
                await create.ExecuteNonQueryAsync(cancellationToken);
                if (version < schema.Version)
                {
                    // Only when it changes: the version lives in the file's first page, which an unchanged file keeps as it is.
                    await using var stamp = Command(connection, transaction, $"PRAGMA user_version = {schema.Version.ToString(CultureInfo.InvariantCulture)}");
                    await stamp.ExecuteNonQueryAsync(cancellationToken);
                }

                return true;
            }, beforeTransaction: async connection =>
            {
                // Persistent in the file; must run outside a transaction.
                var mode = await ScalarAsync<string>(connection, null, "PRAGMA journal_mode = WAL", cancellationToken);
                if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                {
                    throw new VectorStoreException(
                        $"The SQLite {schema.Name} at {Path} cannot use write-ahead logging (journal mode '{mode}'); put {EnvironmentVariables.DataDir} on a local disk.");
                }
            }, cancellationToken);

            schemaReady = true;
        }
        finally
        {
            schemaLock.Release();
        }
    }

    /// <summary>What the operator should know, for the SQLite result codes they can do something about (else null).</summary>
    /// <remarks>Matches the primary code: extended codes (<c>SQLITE_IOERR_WRITE</c> = 778) carry it in the low byte.</remarks>
    public string? Explain(SqliteException ex) => (ex.SqliteErrorCode & 0xFF) switch
    {
        SQLitePCL.raw.SQLITE_BUSY or SQLitePCL.raw.SQLITE_LOCKED =>
            $"SQLite {schema.Name} at {Path} is locked by another process (waited {options.BusyTimeout.TotalSeconds:0.#} s); " +
            "let it finish (an ingest, for example) or stop it, then try again.",
        SQLitePCL.raw.SQLITE_FULL =>
            $"Disk full while writing the {schema.Name} at {Path}; free some space or set {EnvironmentVariables.DataDir} to a folder on a larger disk.",
        SQLitePCL.raw.SQLITE_CANTOPEN or SQLitePCL.raw.SQLITE_PERM or SQLitePCL.raw.SQLITE_READONLY or SQLitePCL.raw.SQLITE_AUTH =>
            $"Cannot open the SQLite {schema.Name} at {Path} for reading and writing; check that {EnvironmentVariables.DataDir} is a folder this process can write.",
        SQLitePCL.raw.SQLITE_IOERR =>
            $"I/O error on the SQLite {schema.Name} at {Path}; check the disk behind {EnvironmentVariables.DataDir}.",
        SQLitePCL.raw.SQLITE_NOTADB or SQLitePCL.raw.SQLITE_CORRUPT =>
            $"The file at {Path} is not a readable SQLite {schema.Name} (corrupt, or another kind of file); {schema.Rebuild}.",
        SQLitePCL.raw.SQLITE_ERROR when ex.Message.Contains("no such table", StringComparison.Ordinal) =>
            $"The SQLite {schema.Name} at {Path} has no {schema.Name} tables (the file was deleted or replaced); {schema.Recreate}.",
        _ => null,
    };

    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    public static async Task<T> ScalarAsync<T>(
        SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture)!;
    }

    public void Dispose()
    {
        // Pooled connections keep the file open; let it go (tests delete it, a new instance may reopen it).
        using (var connection = new SqliteConnection(connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        schemaLock.Dispose();
        writeLock.Dispose();
    }

    private async Task<T> WriteCoreAsync<T>(
        Func<SqliteConnection, SqliteTransaction, Task<T>> work, Func<SqliteConnection, Task>? beforeTransaction, CancellationToken cancellationToken)
    {
        await writeLock.WaitAsync(cancellationToken);
        try
        {
            return await RunAsync(async connection =>
            {
                if (beforeTransaction is not null)
                {
                    await beforeTransaction(connection);
                }

                using var transaction = connection.BeginTransaction(deferred: false);
                var result = await work(connection, transaction);
                transaction.Commit();
                return result;
            }, cancellationToken);
        }
        finally
        {
            writeLock.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> on a pooled connection and turns failures a person can fix into <see cref="VectorStoreException"/>.</summary>
    private async Task<T> RunAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            return await work(connection);
        }
        catch (SqliteException ex) when (Explain(ex) is { } message)
        {
            throw new VectorStoreException(message, ex);
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            // Per connection: wait for other writers inside SQLite; WAL makes NORMAL durable at each checkpoint and never corrupt.
            var cap = options.MaxPageCount is { } pages ? $" PRAGMA max_page_count = {pages};" : "";
            await using var pragmas = Command(connection, null,
                $"PRAGMA busy_timeout = {(int)options.BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL;{cap}");
            await pragmas.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
