using System.Buffers;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using static RagFunctions.Retrieval.VectorStore.Sqlite.SqliteDatabase;
using static RagFunctions.Retrieval.VectorStore.Sqlite.SqliteRows;

namespace RagFunctions.Retrieval.VectorStore.Sqlite;

/// <summary>
/// Dense, keyword and hybrid search over the embedded index: FTS5 for keywords, and the vectors held in memory for dense
/// search (a <see cref="VectorSnapshot"/>, reloaded when a write has committed since they were read). A search reads in one
/// transaction, so it sees each page wholly before or after a write.
/// </summary>
/// <remarks>
/// Scores: dense = cosine similarity; keyword = −BM25 (higher is better); hybrid = reciprocal rank fusion
/// (<see cref="RankFusion"/>) of the top <c>max(limit × 4, 40)</c> of each. <see cref="SearchHit.DenseScore"/> is the cosine
/// for every hit whenever the request carries a vector, keyword-only hits included, so evidence gating can rely on it.
/// </remarks>
internal sealed class SqliteSearch(SqliteDatabase database, ILogger logger) : IDisposable
{
    public const int CandidatesPerHit = 4;
    public const int MinCandidates = 40;

    private readonly SemaphoreSlim loadLock = new(1, 1);
    private volatile VectorSnapshot? vectors;

    /// <summary>Drops the vectors held in memory (the file may have been replaced).</summary>
    public void Forget() => vectors = null;

    /// <summary>The store's search, on an index of <paramref name="dimensions"/>-d vectors.</summary>
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(SearchRequest request, int dimensions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Limit, 1);
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
        var query = useVector ? VectorSnapshot.RentUnit(request.Vector.Span) : null;
        try
        {
            return await database.ReadAsync<IReadOnlyList<SearchHit>>(async connection =>
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

    public void Dispose() => loadLock.Dispose();

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
                    $"The SQLite index at {database.Path} holds a {length / sizeof(float)}-d vector where {dimensions}-d was expected; delete it and run ingest again.");
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

    private readonly record struct Ranked(long Key, double Score, double? Dense);
}
