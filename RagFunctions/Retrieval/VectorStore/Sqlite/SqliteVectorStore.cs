using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RagFunctions.Hosting;
using static RagFunctions.Retrieval.VectorStore.Sqlite.SqliteDatabase;
using static RagFunctions.Retrieval.VectorStore.Sqlite.SqliteRows;

namespace RagFunctions.Retrieval.VectorStore.Sqlite;

/// <summary>
/// The embedded index: one SQLite file (<c>&lt;RAG_DATA_DIR&gt;/index.db</c>, opened by <see cref="SqliteDatabase"/>),
/// searched by <see cref="SqliteSearch"/>. Safe for concurrent calls: a connection per operation from the pool; writers
/// take an in-process lock and <c>BEGIN IMMEDIATE</c>, and bump the data version the in-memory vectors are checked against.
/// </summary>
internal sealed class SqliteVectorStore : IVectorStore, IDisposable
{
    private readonly SqliteStoreOptions options;
    private readonly ILogger logger;
    private readonly SqliteDatabase database;
    private readonly SqliteSearch search;
    private volatile EmbeddingModelInfo? embedding;

    public SqliteVectorStore(IOptions<SqliteStoreOptions> options, ILogger<SqliteVectorStore> logger)
    {
        this.options = options.Value;
        this.logger = logger;
        database = new SqliteDatabase(this.options.DatabasePath, SqliteSchema.Definition, this.options);
        search = new SqliteSearch(database, logger);
    }

    public string Provider => "sqlite";

    public string Collection => options.IndexName;

    /// <summary>Full path of the database file.</summary>
    public string DatabasePath => database.Path;

    public async Task EnsureReadyAsync(EmbeddingModelInfo embedding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        ArgumentOutOfRangeException.ThrowIfLessThan(embedding.Dimensions, 1);

        // Checked afresh on every call (an ingest makes one): the file may have been deleted or replaced since.
        search.Forget();
        await database.EnsureSchemaAsync(cancellationToken, again: true);

        var indexName = options.IndexName;
        var (chunks, recorded) = await WriteAsync(async (connection, transaction) =>
        {
            var meta = await ReadMetaAsync(connection, transaction, cancellationToken);
            var built = BuiltWith(meta);
            if (built is not null && built != embedding)
            {
                throw new IndexMismatchException(built, embedding);
            }

            var count = await ScalarAsync<long>(connection, transaction, "SELECT count(*) FROM chunks", cancellationToken);
            var storedName = meta.GetValueOrDefault(SqliteSchema.Keys.IndexName) as string;
            if (storedName is not null && storedName != indexName && count > 0)
            {
                throw new VectorStoreException(
                    $"The SQLite index at {database.Path} holds the index '{storedName}' but {EnvironmentVariables.CollectionName} is '{indexName}'; " +
                    $"set {EnvironmentVariables.CollectionName} back, or point {EnvironmentVariables.DataDir} at another folder to build '{indexName}' there.");
            }

            if (storedName != indexName)
            {
                await SetMetaAsync(connection, transaction, SqliteSchema.Keys.IndexName, indexName, cancellationToken);
            }

            if (built is null)
            {
                await SetMetaAsync(connection, transaction, SqliteSchema.Keys.EmbeddingModel, embedding.Model, cancellationToken);
                await SetMetaAsync(connection, transaction, SqliteSchema.Keys.EmbeddingDimensions, embedding.Dimensions, cancellationToken);
            }

            return (count, built is null);
        }, bumpVersion: false, cancellationToken);

        this.embedding = embedding;
        if (recorded)
        {
            SqliteStoreLog.ModelRecorded(logger, indexName, database.Path, embedding);
        }

        SqliteStoreLog.IndexReady(logger, indexName, database.Path, chunks, embedding);
    }

    public async Task<IReadOnlyDictionary<string, string>> GetChunkHashesAsync(string pageUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pageUrl);
        return await database.ReadAsync<IReadOnlyDictionary<string, string>>(async connection =>
        {
            await using var command = Command(connection, null, "SELECT id, content_hash FROM chunks WHERE page_url = $page_url");
            command.Parameters.AddWithValue("$page_url", pageUrl);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
            while (await reader.ReadAsync(cancellationToken))
            {
                hashes[reader.GetString(0)] = reader.GetString(1);
            }

            return hashes;
        }, cancellationToken);
    }

    public async Task WritePageAsync(PageWrite page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var dimensions = RequireEmbedding().Dimensions;
        foreach (var (chunk, vector) in page.Changed)
        {
            if (!string.Equals(chunk.PageUrl, page.PageUrl, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Chunk '{chunk.Id}' belongs to {chunk.PageUrl}, not to {page.PageUrl}.", nameof(page));
            }

            if (vector.Length != dimensions)
            {
                throw new ArgumentException($"Chunk '{chunk.Id}' has a {vector.Length}-d vector; the index is {dimensions}-d.", nameof(page));
            }
        }

        // A changed chunk is kept even if the caller forgot to list it.
        var keep = new HashSet<string>(page.KeepIds, StringComparer.Ordinal);
        keep.UnionWith(page.Changed.Select(c => c.Chunk.Id));
        var keepJson = JsonSerializer.Serialize(keep.ToArray(), RagJsonContext.Default.StringArray);

        var deleted = await WriteAsync(async (connection, transaction) =>
        {
            if (page.Changed.Count > 0)
            {
                await UpsertAsync(connection, transaction, page.Changed, cancellationToken);
            }

            await using var delete = Command(connection, transaction,
                "DELETE FROM chunks WHERE page_url = $page_url AND id NOT IN (SELECT value FROM json_each($keep))");
            delete.Parameters.AddWithValue("$page_url", page.PageUrl);
            delete.Parameters.AddWithValue("$keep", keepJson);
            return await delete.ExecuteNonQueryAsync(cancellationToken);
        }, bumpVersion: true, cancellationToken);

        SqliteStoreLog.PageWritten(logger, page.PageUrl, page.Changed.Count, deleted);
    }

    public async Task DeletePagesAsync(IReadOnlyCollection<string> pageUrls, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pageUrls);
        if (pageUrls.Count == 0)
        {
            return;
        }

        var pagesJson = JsonSerializer.Serialize(pageUrls.ToArray(), RagJsonContext.Default.StringArray);
        var deleted = await WriteAsync(async (connection, transaction) =>
        {
            await using var delete = Command(connection, transaction,
                "DELETE FROM chunks WHERE page_url IN (SELECT value FROM json_each($pages))");
            delete.Parameters.AddWithValue("$pages", pagesJson);
            return await delete.ExecuteNonQueryAsync(cancellationToken);
        }, bumpVersion: true, cancellationToken);

        SqliteStoreLog.PagesDeleted(logger, deleted, pageUrls.Count);
    }

    public async Task<IReadOnlyList<string>> GetPageUrlsAsync(CancellationToken cancellationToken)
    {
        return await database.ReadAsync<IReadOnlyList<string>>(async connection =>
        {
            await using var command = Command(connection, null, "SELECT DISTINCT page_url FROM chunks ORDER BY page_url");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var urls = new List<string>();
            while (await reader.ReadAsync(cancellationToken))
            {
                urls.Add(reader.GetString(0));
            }

            return urls;
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<PageOutline>> GetOutlineAsync(CancellationToken cancellationToken)
    {
        return await database.ReadAsync(async connection =>
        {
            await using var command = Command(connection, null, "SELECT page_url, page_title, url, position, id FROM chunks");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new List<OutlineRow>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new OutlineRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), reader.GetString(4)));
            }

            return PageOutline.FromRows(rows);
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<BookChunk>> GetPageAsync(string pageUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pageUrl);
        return await database.ReadAsync<IReadOnlyList<BookChunk>>(async connection =>
        {
            await using var command = Command(connection, null,
                $"SELECT {SqliteSchema.ChunkColumns} FROM chunks WHERE page_url = $page_url ORDER BY position, id");
            command.Parameters.AddWithValue("$page_url", pageUrl);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var chunks = new List<BookChunk>();
            while (await reader.ReadAsync(cancellationToken))
            {
                chunks.Add(ReadChunk(reader));
            }

            return chunks;
        }, cancellationToken);
    }

    public Task<IReadOnlyList<SearchHit>> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
        => search.SearchAsync(request, RequireEmbedding().Dimensions, cancellationToken);

    public async Task<IndexStats> GetStatsAsync(CancellationToken cancellationToken)
    {
        return await database.ReadAsync(async connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: true);
            var meta = await ReadMetaAsync(connection, transaction, cancellationToken);
            await using var command = Command(connection, transaction, "SELECT count(*), count(DISTINCT page_url) FROM chunks");
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            var stats = new IndexStats(reader.GetInt64(0), reader.GetInt64(1), BuiltWith(meta), BuiltAt(meta));
            transaction.Commit();
            return stats;
        }, cancellationToken);
    }

    /// <summary>
    /// Records the time and, since an ingestion just finished, merges the keyword index into one segment
    /// (FTS5 <c>optimize</c>): page-by-page writes leave many small segments that every keyword query must visit.
    /// </summary>
    public async Task MarkBuiltAsync(DateTimeOffset builtAt, CancellationToken cancellationToken)
    {
        var value = builtAt.ToString("O", CultureInfo.InvariantCulture);
        await WriteAsync(async (connection, transaction) =>
        {
            await SetMetaAsync(connection, transaction, SqliteSchema.Keys.BuiltAt, value, cancellationToken);
            await using var optimize = Command(connection, transaction, "INSERT INTO chunks_fts (chunks_fts) VALUES ('optimize')");
            await optimize.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }, bumpVersion: false, cancellationToken);
    }

    /// <summary>Opens the file (its schema in place, as any read) and lists its tables: the folder, the file and its format.</summary>
    public async Task<StoreProbe> ProbeAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await database.ReadAsync(
                connection => ScalarAsync<long>(connection, null, "SELECT count(*) FROM sqlite_schema", cancellationToken), cancellationToken);
            return new StoreProbe(true, null, Stopwatch.GetElapsedTime(started));
        }
        catch (VectorStoreException ex)
        {
            return new StoreProbe(false, ex.Message, Stopwatch.GetElapsedTime(started));
        }
    }

    public void Dispose()
    {
        database.Dispose();
        search.Dispose();
    }

    /// <inheritdoc cref="SqliteDatabase.Explain"/>
    internal string? Explain(SqliteException ex) => database.Explain(ex);

    private EmbeddingModelInfo RequireEmbedding()
        => embedding ?? throw new InvalidOperationException($"Call {nameof(EnsureReadyAsync)} before writing or searching the index.");

    /// <summary>One write transaction; <paramref name="bumpVersion"/> tells readers (in any process) that the chunks changed.</summary>
    private Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, bool bumpVersion, CancellationToken cancellationToken)
        => database.WriteAsync(async (connection, transaction) =>
        {
            var result = await work(connection, transaction);
            if (bumpVersion)
            {
                await using var bump = Command(connection, transaction, SqliteSchema.BumpVersion);
                await bump.ExecuteNonQueryAsync(cancellationToken);
            }

            return result;
        }, cancellationToken);
}
