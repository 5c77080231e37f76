using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RagFunctions.Hosting;

namespace RagFunctions.Retrieval.VectorStore.Sqlite;

/// <summary>
/// The embedded index: one SQLite file (<c>&lt;RAG_DATA_DIR&gt;/index.db</c>, WAL mode), FTS5 for keywords, and the
/// vectors held in memory for dense search (reloaded when a write has committed since they were read).
/// Safe for concurrent calls: a connection per operation from the pool; writers take an in-process lock and
/// <c>BEGIN IMMEDIATE</c>; a search reads in one transaction, so it sees each page wholly before or after a write.
/// </summary>
/// <remarks>
/// Scores: dense = cosine similarity; keyword = −BM25 (higher is better); hybrid = reciprocal rank fusion
/// (<see cref="RankFusion"/>) of the top <c>max(limit × 4, 40)</c> of each. <see cref="SearchHit.DenseScore"/> is the cosine
/// for every hit whenever the request carries a vector, keyword-only hits included, so evidence gating can rely on it.
/// </remarks>
internal sealed class SqliteVectorStore : IVectorStore, IDisposable
{
    public const int CandidatesPerHit = 4;
    public const int MinCandidates = 40;

    private readonly SqliteStoreOptions options;
    private readonly ILogger logger;
    private readonly string connectionString;
    private readonly SemaphoreSlim schemaLock = new(1, 1);
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private readonly SemaphoreSlim loadLock = new(1, 1);
    private volatile bool schemaReady;
    private volatile EmbeddingModelInfo? embedding;
    private volatile VectorSnapshot? vectors;

    public SqliteVectorStore(IOptions<SqliteStoreOptions> options, ILogger<SqliteVectorStore> logger)
    {
        this.options = options.Value;
        this.logger = logger;
        DatabasePath = this.options.DatabasePath;
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(this.options.BusyTimeout.TotalSeconds)),
        }.ToString();
    }

    public string Provider => "sqlite";

    /// <summary>Full path of the database file.</summary>
    public string DatabasePath { get; }

    public async Task EnsureReadyAsync(EmbeddingModelInfo embedding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        ArgumentOutOfRangeException.ThrowIfLessThan(embedding.Dimensions, 1);

        // Checked afresh on every call (an ingest makes one): the file may have been deleted or replaced since.
        vectors = null;
        await EnsureSchemaAsync(cancellationToken, again: true);

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
                    $"The SQLite index at {DatabasePath} holds the index '{storedName}' but {Settings.CollectionName} is '{indexName}'; " +
                    $"set {Settings.CollectionName} back, or point {Settings.DataDir} at another folder to build '{indexName}' there.");
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
            SqliteStoreLog.ModelRecorded(logger, indexName, DatabasePath, embedding);
        }

        SqliteStoreLog.IndexReady(logger, indexName, DatabasePath, chunks, embedding);
    }

    public async Task<IReadOnlyDictionary<string, string>> GetChunkHashesAsync(string pageUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pageUrl);
        await EnsureSchemaAsync(cancellationToken);
        return await RunAsync<IReadOnlyDictionary<string, string>>(async connection =>
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

        await EnsureSchemaAsync(cancellationToken);
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
        await EnsureSchemaAsync(cancellationToken);
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
        await EnsureSchemaAsync(cancellationToken);
        return await RunAsync<IReadOnlyList<string>>(async connection =>
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

    public async Task<IReadOnlyList<BookChunk>> GetPageAsync(string pageUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pageUrl);
        await EnsureSchemaAsync(cancellationToken);
        return await RunAsync<IReadOnlyList<BookChunk>>(async connection =>
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

    public async Task<IReadOnlyList<SearchHit>> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Limit, 1);
        var dimensions = RequireEmbedding().Dimensions;
        var useVector = request.Mode != SearchMode.Keyword || !request.Vector.IsEmpty;
        if (useVector && request.Vector.Length != dimensions)
        {
            throw new ArgumentException($"The query vector is {request.Vector.Length}-d; the index is {dimensions}-d.", nameof(request));
        }

        var match = request.Mode == SearchMode.Dense ? null : FtsQuery.Build(request.Text);
        if (request.Mode == SearchMode.Keyword && match is null)
        {
            return [];
        }

        var candidates = request.Mode == SearchMode.Hybrid ? Math.Max(request.Limit * CandidatesPerHit, MinCandidates) : request.Limit;
        await EnsureSchemaAsync(cancellationToken);
        var query = useVector ? VectorSnapshot.RentUnit(request.Vector.Span) : null;
        try
        {
            return await RunAsync<IReadOnlyList<SearchHit>>(async connection =>
            {
                // One read transaction: the vectors, the keyword matches and the rows all come from the same commit.
                using var transaction = connection.BeginTransaction(deferred: true);
                var version = await ScalarAsync<long>(connection, transaction,
                    $"SELECT value FROM meta WHERE key = '{SqliteSchema.Keys.DataVersion}'", cancellationToken);
                var snapshot = query is null ? null : await GetVectorsAsync(connection, transaction, version, dimensions, cancellationToken);

                IReadOnlyList<(long Key, double Score)> Nearest(bool parallel)
                    => snapshot.Nearest(query.AsSpan(0, dimensions), candidates, request.PageUrl, cancellationToken, parallel);

                // Hybrid: the in-memory scan runs on another core while SQLite answers the keyword query.
                var denseTask = snapshot is null || request.Mode == SearchMode.Keyword ? Task.FromResult<IReadOnlyList<(long Key, double Score)>>([])
                    : match is null ? Task.FromResult(Nearest(parallel: true))
                    : Task.Run(() => Nearest(parallel: false), cancellationToken);
                IReadOnlyList<(long Key, double Score)> keyword;
                try
                {
                    keyword = match is null
                        ? []
                        : await KeywordAsync(connection, transaction, match, candidates, request.PageUrl, cancellationToken);
                }
                finally
                {
                    // Never leave the scan running over a buffer that goes back to the pool.
                    await ((Task)denseTask).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }

                var dense = await denseTask;

                var ranked = Rank(request.Mode, dense, keyword, request.Limit);
                if (snapshot is not null)
                {
                    for (var i = 0; i < ranked.Count; i++)
                    {
                        ranked[i] = ranked[i] with { Dense = ranked[i].Dense ?? snapshot.Cosine(query.AsSpan(0, dimensions), ranked[i].Key) };
                    }
                }

                var chunks = await ReadChunksAsync(connection, transaction, ranked.Select(r => r.Key), cancellationToken);
                transaction.Commit();
                return ranked.Where(r => chunks.ContainsKey(r.Key)).Select(r => new SearchHit(chunks[r.Key], r.Score, r.Dense)).ToArray();
            }, cancellationToken);
        }
        finally
        {
            if (query is not null)
            {
                ArrayPool<float>.Shared.Return(query);
            }
        }
    }

    public async Task<IndexStats> GetStatsAsync(CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        return await RunAsync(async connection =>
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
        await EnsureSchemaAsync(cancellationToken);
        var value = builtAt.ToString("O", CultureInfo.InvariantCulture);
        await WriteAsync(async (connection, transaction) =>
        {
            await SetMetaAsync(connection, transaction, SqliteSchema.Keys.BuiltAt, value, cancellationToken);
            await using var optimize = Command(connection, transaction, "INSERT INTO chunks_fts (chunks_fts) VALUES ('optimize')");
            await optimize.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }, bumpVersion: false, cancellationToken);
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
        loadLock.Dispose();
    }

    private EmbeddingModelInfo RequireEmbedding()
        => embedding ?? throw new InvalidOperationException($"Call {nameof(EnsureReadyAsync)} before writing or searching the index.");

    private static List<Ranked> Rank(
        SearchMode mode, IReadOnlyList<(long Key, double Score)> dense, IReadOnlyList<(long Key, double Score)> keyword, int limit)
    {
        switch (mode)
        {
            case SearchMode.Dense:
                return dense.Take(limit).Select(d => new Ranked(d.Key, d.Score, d.Score)).ToList();
            case SearchMode.Keyword:
                return keyword.Take(limit).Select(k => new Ranked(k.Key, k.Score, null)).ToList();
            default:
                return RankFusion.Fuse<Ranked, long>(r => r.Key, ([.. dense.Select(d => new Ranked(d.Key, 0, d.Score))], 1.0), ([.. keyword.Select(k => new Ranked(k.Key, 0, null))], 1.0))
                    .Select(f => f.Item with { Score = f.Score })
                    .OrderByDescending(r => r.Score)
                    .ThenByDescending(r => r.Dense ?? double.NegativeInfinity)
                    .ThenBy(r => r.Key)
                    .Take(limit)
                    .ToList();
        }
    }

    private async Task<VectorSnapshot> GetVectorsAsync(
        SqliteConnection connection, SqliteTransaction transaction, long version, int dimensions, CancellationToken cancellationToken)
    {
        var current = vectors;
        if (current is not null && current.Version == version && current.Dimensions == dimensions)
        {
            return current;
        }

        await loadLock.WaitAsync(cancellationToken);
        try
        {
            current = vectors;
            if (current is not null && current.Version == version && current.Dimensions == dimensions)
            {
                return current;
            }

            var started = Stopwatch.GetTimestamp();
            current = await LoadVectorsAsync(connection, transaction, version, dimensions, cancellationToken);
            vectors = current;
            SqliteStoreLog.VectorsLoaded(logger, current.Count, dimensions, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, version);
            return current;
        }
        finally
        {
            loadLock.Release();
        }
    }

    private async Task<VectorSnapshot> LoadVectorsAsync(
        SqliteConnection connection, SqliteTransaction transaction, long version, int dimensions, CancellationToken cancellationToken)
    {
        var count = (int)await ScalarAsync<long>(connection, transaction, "SELECT count(*) FROM chunks", cancellationToken);
        var data = new float[checked(count * dimensions)];
        var keys = new long[count];
        var pages = new string[count];
        var bytes = new byte[dimensions * sizeof(float)];

        await using var command = Command(connection, transaction, "SELECT seq, page_url, vector FROM chunks ORDER BY page_url, position, seq");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var row = 0;
        while (row < count && await reader.ReadAsync(cancellationToken))
        {
            keys[row] = reader.GetInt64(0);
            var page = reader.GetString(1);
            pages[row] = row > 0 && page == pages[row - 1] ? pages[row - 1] : page;
            var length = reader.GetBytes(2, 0, null, 0, 0);
            if (length != bytes.Length)
            {
                throw new VectorStoreException(
                    $"The SQLite index at {DatabasePath} holds a {length / sizeof(float)}-d vector where {dimensions}-d was expected; delete it and run ingest again.");
            }

            reader.GetBytes(2, 0, bytes, 0, bytes.Length);
            MemoryMarshal.Cast<byte, float>(bytes).CopyTo(data.AsSpan(row * dimensions, dimensions));
            row++;
        }

        return new VectorSnapshot(version, dimensions, data, keys, pages);
    }

    private static async Task<IReadOnlyList<(long Key, double Score)>> KeywordAsync(
        SqliteConnection connection, SqliteTransaction transaction, string match, int limit, string? pageUrl, CancellationToken cancellationToken)
    {
        var sql = pageUrl is null
            ? $"""
               SELECT chunks_fts.rowid, -{SqliteSchema.Bm25} AS score FROM chunks_fts
               WHERE chunks_fts MATCH $match ORDER BY score DESC, chunks_fts.rowid LIMIT $limit
               """
            : $"""
               SELECT chunks_fts.rowid, -{SqliteSchema.Bm25} AS score FROM chunks_fts JOIN chunks ON chunks.seq = chunks_fts.rowid
               WHERE chunks_fts MATCH $match AND chunks.page_url = $page_url ORDER BY score DESC, chunks_fts.rowid LIMIT $limit
               """;
        await using var command = Command(connection, transaction, sql);
        command.Parameters.AddWithValue("$match", match);
        command.Parameters.AddWithValue("$limit", limit);
        if (pageUrl is not null)
        {
            command.Parameters.AddWithValue("$page_url", pageUrl);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var hits = new List<(long, double)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            hits.Add((reader.GetInt64(0), reader.GetDouble(1)));
        }

        return hits;
    }

    private static async Task<Dictionary<long, BookChunk>> ReadChunksAsync(
        SqliteConnection connection, SqliteTransaction transaction, IEnumerable<long> keys, CancellationToken cancellationToken)
    {
        var chunks = new Dictionary<long, BookChunk>();
        var list = "[" + string.Join(',', keys.Select(k => k.ToString(CultureInfo.InvariantCulture))) + "]";
        if (list == "[]")
        {
            return chunks;
        }

        await using var command = Command(connection, transaction,
            $"SELECT {SqliteSchema.ChunkColumns} FROM chunks WHERE seq IN (SELECT value FROM json_each($keys))");
        command.Parameters.AddWithValue("$keys", list);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            chunks[reader.GetInt64(0)] = ReadChunk(reader);
        }

        return chunks;
    }

    /// <summary>Reads the columns of <see cref="SqliteSchema.ChunkColumns"/>.</summary>
    private static BookChunk ReadChunk(SqliteDataReader reader) => new(
        Id: reader.GetString(1),
        PageUrl: reader.GetString(2),
        Url: reader.GetString(3),
        PageTitle: reader.GetString(4),
        Heading: reader.GetString(5),
        Anchor: reader.GetString(6),
        TitlePath: JsonSerializer.Deserialize(reader.GetString(7), RagJsonContext.Default.StringArray) ?? [],
        Position: reader.GetInt32(8),
        Text: reader.GetString(9),
        Markdown: reader.GetString(10),
        ContentHash: reader.GetString(11));

    private static async Task UpsertAsync(
        SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<IndexedChunk> changed, CancellationToken cancellationToken)
    {
        await using var upsert = Command(connection, transaction, SqliteSchema.Upsert);
        var id = upsert.Parameters.Add("$id", SqliteType.Text);
        var pageUrl = upsert.Parameters.Add("$page_url", SqliteType.Text);
        var url = upsert.Parameters.Add("$url", SqliteType.Text);
        var pageTitle = upsert.Parameters.Add("$page_title", SqliteType.Text);
        var heading = upsert.Parameters.Add("$heading", SqliteType.Text);
        var anchor = upsert.Parameters.Add("$anchor", SqliteType.Text);
        var titlePath = upsert.Parameters.Add("$title_path", SqliteType.Text);
        var position = upsert.Parameters.Add("$position", SqliteType.Integer);
        var text = upsert.Parameters.Add("$text", SqliteType.Text);
        var markdown = upsert.Parameters.Add("$markdown", SqliteType.Text);
        var contentHash = upsert.Parameters.Add("$content_hash", SqliteType.Text);
        var vector = upsert.Parameters.Add("$vector", SqliteType.Blob);
        foreach (var (chunk, embedding) in changed)
        {
            id.Value = chunk.Id;
            pageUrl.Value = chunk.PageUrl;
            url.Value = chunk.Url;
            pageTitle.Value = chunk.PageTitle;
            heading.Value = chunk.Heading;
            anchor.Value = chunk.Anchor;
            titlePath.Value = JsonSerializer.Serialize(chunk.TitlePath.ToArray(), RagJsonContext.Default.StringArray);
            position.Value = chunk.Position;
            text.Value = chunk.Text;
            markdown.Value = chunk.Markdown;
            contentHash.Value = chunk.ContentHash;
            // Little-endian float32, as every platform .NET runs this app on lays floats out in memory.
            vector.Value = MemoryMarshal.AsBytes(embedding.Span).ToArray();
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static EmbeddingModelInfo? BuiltWith(Dictionary<string, object> meta)
        => meta.GetValueOrDefault(SqliteSchema.Keys.EmbeddingModel) is string model
           && meta.GetValueOrDefault(SqliteSchema.Keys.EmbeddingDimensions) is { } dimensions
            ? new EmbeddingModelInfo(model, Convert.ToInt32(dimensions, CultureInfo.InvariantCulture))
            : null;

    private static DateTimeOffset? BuiltAt(Dictionary<string, object> meta)
        => meta.GetValueOrDefault(SqliteSchema.Keys.BuiltAt) is string value
           && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var builtAt)
            ? builtAt
            : null;

    private static async Task<Dictionary<string, object>> ReadMetaAsync(
        SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "SELECT key, value FROM meta");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var meta = new Dictionary<string, object>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            meta[reader.GetString(0)] = reader.GetValue(1);
        }

        return meta;
    }

    private static async Task SetMetaAsync(
        SqliteConnection connection, SqliteTransaction transaction, string key, object value, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction,
            "INSERT INTO meta (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$value", value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<T> ScalarAsync<T>(
        SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql);
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture)!;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>
    /// Creates the folder, switches the file to WAL and creates missing tables: once per instance, or
    /// <paramref name="again"/> (a failure then leaves reads as they were: they need no write).
    /// </summary>
    private async Task EnsureSchemaAsync(CancellationToken cancellationToken, bool again = false)
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
                Directory.CreateDirectory(options.DataDirectory);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new VectorStoreException(
                    $"Cannot create the folder of the SQLite index at {DatabasePath}; set {Settings.DataDir} to a folder this process can write.", ex);
            }

            await WriteAsync(async (connection, transaction) =>
            {
                var hasMeta = await ScalarAsync<long>(connection, transaction,
                    "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'meta'", cancellationToken) > 0;
                var schema = hasMeta
                    ? await ScalarAsync<long>(connection, transaction,
                        $"SELECT coalesce((SELECT value FROM meta WHERE key = '{SqliteSchema.Keys.SchemaVersion}'), 0)", cancellationToken)
                    : 0;
                if (schema > SqliteSchema.Version)
                {
                    throw new VectorStoreException(
                        $"The SQLite index at {DatabasePath} was written by a newer version of this app (schema {schema}, this one reads {SqliteSchema.Version}); " +
                        "update the app, or delete the index and run ingest again.");
                }

                await using var create = Command(connection, transaction, SqliteSchema.Create);
                await create.ExecuteNonQueryAsync(cancellationToken);
                return true;
            }, bumpVersion: false, cancellationToken, beforeTransaction: async connection =>
            {
                // Persistent in the file; must run outside a transaction.
                var mode = await ScalarAsync<string>(connection, null, "PRAGMA journal_mode = WAL", cancellationToken);
                if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                {
                    throw new VectorStoreException(
                        $"The SQLite index at {DatabasePath} cannot use write-ahead logging (journal mode '{mode}'); put {Settings.DataDir} on a local disk.");
                }
            });

            schemaReady = true;
        }
        finally
        {
            schemaLock.Release();
        }
    }

    /// <summary>One write transaction (<c>BEGIN IMMEDIATE</c>), one writer at a time in this process.</summary>
    private async Task<T> WriteAsync<T>(
        Func<SqliteConnection, SqliteTransaction, Task<T>> work,
        bool bumpVersion,
        CancellationToken cancellationToken,
        Func<SqliteConnection, Task>? beforeTransaction = null)
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
                if (bumpVersion)
                {
                    await using var bump = Command(connection, transaction, SqliteSchema.BumpVersion);
                    await bump.ExecuteNonQueryAsync(cancellationToken);
                }

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

    /// <summary>What the operator should know, for the SQLite result codes they can do something about (else null).</summary>
    /// <remarks>Matches the primary code: extended codes (<c>SQLITE_IOERR_WRITE</c> = 778) carry it in the low byte.</remarks>
    internal string? Explain(SqliteException ex) => (ex.SqliteErrorCode & 0xFF) switch
    {
        SQLitePCL.raw.SQLITE_BUSY or SQLitePCL.raw.SQLITE_LOCKED =>
            $"SQLite index at {DatabasePath} is locked by another process (waited {options.BusyTimeout.TotalSeconds:0.#} s); " +
            "let it finish (an ingest, for example) or stop it, then try again.",
        SQLitePCL.raw.SQLITE_FULL =>
            $"Disk full while writing the index at {DatabasePath}; free some space or set {Settings.DataDir} to a folder on a larger disk.",
        SQLitePCL.raw.SQLITE_CANTOPEN or SQLitePCL.raw.SQLITE_PERM or SQLitePCL.raw.SQLITE_READONLY or SQLitePCL.raw.SQLITE_AUTH =>
            $"Cannot open the SQLite index at {DatabasePath} for reading and writing; check that {Settings.DataDir} is a folder this process can write.",
        SQLitePCL.raw.SQLITE_IOERR =>
            $"I/O error on the SQLite index at {DatabasePath}; check the disk behind {Settings.DataDir}.",
        SQLitePCL.raw.SQLITE_NOTADB or SQLitePCL.raw.SQLITE_CORRUPT =>
            $"The file at {DatabasePath} is not a readable SQLite index (corrupt, or another kind of file); delete it and run ingest again.",
        SQLitePCL.raw.SQLITE_ERROR when ex.Message.Contains("no such table", StringComparison.Ordinal) =>
            $"The SQLite index at {DatabasePath} has no index tables (the file was deleted or replaced); run ingest.",
        _ => null,
    };

    private readonly record struct Ranked(long Key, double Score, double? Dense);
}
