using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using static Qdrant.Client.Grpc.Conditions;
using static RagFunctions.Retrieval.VectorStore.Qdrant.QdrantPoints;

namespace RagFunctions.Retrieval.VectorStore.Qdrant;

/// <summary>
/// The book's index in one Qdrant collection, through the official Qdrant.Client over gRPC. Instances keep no state,
/// so any number of them can serve the same collection.
/// </summary>
/// <remarks>
/// <para>Collection layout: named dense vector <c>dense</c> (cosine, the embedding's dimension), sparse vector
/// <c>bm25</c> (<c>Modifier.Idf</c>, weights from <see cref="Bm25SparseEncoder"/>), keyword payload index on
/// <c>page_url</c> (created before any filter is sent: Qdrant Cloud's strict mode rejects unindexed filters).</para>
/// <para>Points: see <see cref="QdrantPoints"/>; queries: <see cref="QdrantSearch"/>.</para>
/// <para>Index metadata (embedding model, dimension, last build) is one vector-less point at the nil UUID in the same
/// collection: it lives and dies with the index (deleting the collection resets it), needs no second collection and
/// works on any Qdrant version. Searches never see it (it has no vectors); counts and page lists exclude it by id.</para>
/// </remarks>
internal sealed class QdrantVectorStore : IVectorStore
{
    /// <summary>
    /// Scroll page sizes. Qdrant.Client keeps gRPC's 4 MB default for a response, so pages that carry whole chunks
    /// (text and Markdown) stay small; pages of one or two short fields can be large.
    /// </summary>
    public const uint ChunkPageSize = 64;
    public const uint FieldPageSize = 512;

    private const int UpsertBatchSize = 64;
    private const int DeleteBatchSize = 100;

    private readonly QdrantClient client;
    private readonly QdrantStoreOptions options;
    private readonly QdrantErrors errors;
    private readonly QdrantCollection book;
    private readonly ILogger<QdrantVectorStore> logger;
    private readonly string collection;

    public QdrantVectorStore(QdrantClient client, IOptions<QdrantStoreOptions> options, ILogger<QdrantVectorStore> logger)
    {
        this.client = client;
        this.options = options.Value;
        this.logger = logger;
        errors = new QdrantErrors(this.options, logger);
        collection = this.options.Collection;
        book = new QdrantCollection(client, errors, collection);
    }

    public string Provider => "qdrant";

    public string Collection => collection;

    public async Task EnsureReadyAsync(EmbeddingModelInfo embedding, CancellationToken cancellationToken)
    {
        var endpoint = options.Endpoint;
        if (options.Key is not null && !endpoint.Https && !IsLoopback(endpoint.Host))
        {
            QdrantLog.KeyInClearText(logger, endpoint);
        }

        if (!await CallAsync("collection check", ct => client.CollectionExistsAsync(collection, ct), cancellationToken))
        {
            await CreateCollectionAsync(embedding, cancellationToken);
        }

        var info = await CallAsync("collection info", ct => client.GetCollectionInfoAsync(collection, ct), cancellationToken);
        var dense = info.Config?.Params?.VectorsConfig?.ParamsMap?.Map.GetValueOrDefault(DenseVectorName);
        var sparse = info.Config?.Params?.SparseVectorsConfig?.Map.GetValueOrDefault(SparseVectorName);
        if (dense is null || sparse is null)
        {
            throw new VectorStoreException(
                $"Qdrant collection '{collection}' exists but has no '{DenseVectorName}' dense and '{SparseVectorName}' sparse vectors: it was not made by this app. "
                + $"Delete it or set {Hosting.EnvironmentVariables.CollectionName} to another name, then run ingest.");
        }

        if (!info.PayloadSchema.ContainsKey(Payload.PageUrl))
        {
            await CallAsync(
                "payload index",
                ct => client.CreatePayloadIndexAsync(collection, Payload.PageUrl, PayloadSchemaType.Keyword, wait: true, cancellationToken: ct),
                cancellationToken);
            QdrantLog.PayloadIndexCreated(logger, Payload.PageUrl, collection);
        }

        var metadata = await ReadMetadataAsync(cancellationToken);
        var built = new EmbeddingModelInfo(metadata?.Embedding?.Model ?? "an unknown model", checked((int)dense.Size));
        if (built.Dimensions != embedding.Dimensions || (metadata?.Embedding is { } recorded && recorded.Model != embedding.Model))
        {
            QdrantLog.IndexMismatch(logger, collection, built, embedding);
            throw new IndexMismatchException(built, embedding);
        }

        if (metadata?.Embedding is null)
        {
            await WriteMetadataAsync(embedding, cancellationToken);
        }
    }

    public async Task<IReadOnlyDictionary<string, string>> GetChunkHashesAsync(string pageUrl, CancellationToken cancellationToken)
    {
        var points = await ScrollAllAsync(PageFilter(pageUrl), [Payload.ChunkId, Payload.ContentHash], FieldPageSize, cancellationToken);
        return points.ToDictionary(p => ChunkId(p.Id, p.Payload), p => QdrantPoints.Text(p.Payload, Payload.ContentHash), StringComparer.Ordinal);
    }

    /// <remarks>
    /// Qdrant has no transaction across calls: the changed chunks are upserted first (wait=true), then the page's other
    /// chunks are deleted. A reader in between sees the new chunks next to stale ones, never a page with holes; a crash
    /// in between leaves stale chunks that the next ingest of the page removes.
    /// </remarks>
    public async Task WritePageAsync(PageWrite page, CancellationToken cancellationToken)
    {
        var stray = page.Changed.FirstOrDefault(c => c.Chunk.PageUrl != page.PageUrl);
        if (stray is not null)
        {
            throw new ArgumentException($"Chunk {stray.Chunk.Id} belongs to {stray.Chunk.PageUrl}, not to {page.PageUrl}.", nameof(page));
        }

        foreach (var batch in page.Changed.Chunk(UpsertBatchSize))
        {
            var points = batch.Select(ToPoint).ToList();
            await CallAsync("upsert", ct => client.UpsertAsync(collection, points, wait: true, cancellationToken: ct), cancellationToken);
        }

        var stale = PageFilter(page.PageUrl);
        var keep = page.KeepIds.Concat(page.Changed.Select(c => c.Chunk.Id)).Distinct(StringComparer.Ordinal).Select(PointGuid).ToList();
        if (keep.Count > 0)
        {
            stale.MustNot.Add(HasId(keep));
        }

        await CallAsync("delete", ct => client.DeleteAsync(collection, stale, wait: true, cancellationToken: ct), cancellationToken);
        QdrantLog.PageWritten(logger, page.PageUrl, page.Changed.Count, keep.Count);
    }

    public async Task DeletePagesAsync(IReadOnlyCollection<string> pageUrls, CancellationToken cancellationToken)
    {
        foreach (var batch in pageUrls.Distinct(StringComparer.Ordinal).Chunk(DeleteBatchSize))
        {
            Filter filter = Match(Payload.PageUrl, (IReadOnlyList<string>)batch);
            await CallAsync("delete", ct => client.DeleteAsync(collection, filter, wait: true, cancellationToken: ct), cancellationToken);
        }

        if (pageUrls.Count > 0)
        {
            QdrantLog.PagesDeleted(logger, pageUrls.Count, collection);
        }
    }

    /// <remarks>Scrolls the <c>page_url</c> field of every chunk: simple, and fine for a book's few thousand chunks.</remarks>
    public async Task<IReadOnlyList<string>> GetPageUrlsAsync(CancellationToken cancellationToken)
    {
        var points = await ScrollAllAsync(WithoutMetadata(), [Payload.PageUrl], FieldPageSize, cancellationToken);
        return points.Select(p => QdrantPoints.Text(p.Payload, Payload.PageUrl)).Where(u => u.Length > 0)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }

    public async Task<IReadOnlyList<PageOutline>> GetOutlineAsync(CancellationToken cancellationToken)
    {
        var points = await ScrollAllAsync(
            WithoutMetadata(), [Payload.ChunkId, Payload.PageUrl, Payload.PageTitle, Payload.Url, Payload.Position], FieldPageSize, cancellationToken);
        return PageOutline.FromRows(points
            .Select(p => new OutlineRow(QdrantPoints.Text(p.Payload, Payload.PageUrl), QdrantPoints.Text(p.Payload, Payload.PageTitle), QdrantPoints.Text(p.Payload, Payload.Url),
                Position(p.Payload), ChunkId(p.Id, p.Payload)))
            .Where(r => r.PageUrl.Length > 0));
    }

    public async Task<IReadOnlyList<BookChunk>> GetPageAsync(string pageUrl, CancellationToken cancellationToken)
    {
        var points = await ScrollAllAsync(PageFilter(pageUrl), payload: null, ChunkPageSize, cancellationToken);
        return points.Select(p => ToChunk(p.Id, p.Payload)).OrderBy(c => c.Position).ThenBy(c => c.Id, StringComparer.Ordinal).ToArray();
    }

    /// <remarks>
    /// <para>Dense: <c>Query</c> on <c>dense</c>; score = cosine. Keyword: <c>Query</c> on <c>bm25</c> with
    /// <see cref="Bm25SparseEncoder"/> terms; score = BM25 (the server applies IDF). Hybrid: one <c>Query</c> with a dense
    /// and a sparse prefetch (max(limit·4, 40) each) fused by <c>Fusion.Rrf</c>, Qdrant's reciprocal rank fusion with
    /// its own k = 2 (a first place scores 1/2): fused scores are on another scale than the embedded store's (k = 60),
    /// rankings are comparable. The page filter is the top-level filter, which Qdrant applies inside every prefetch.</para>
    /// <para><see cref="SearchHit.DenseScore"/>: hybrid and keyword hits come back with their <c>dense</c> vector and the
    /// cosine to the query is computed here, so every hit has one whenever the request carries a vector (as in the
    /// embedded store; evidence gating relies on it). A second dense query would only cover the dense candidates.</para>
    /// </remarks>
    public async Task<IReadOnlyList<SearchHit>> SearchAsync(SearchRequest request, CancellationToken cancellationToken)
    {
        if (request.Limit <= 0)
        {
            return [];
        }

        var started = Stopwatch.GetTimestamp();
        var limit = (ulong)request.Limit;
        var filter = request.PageUrl is null ? null : PageFilter(request.PageUrl);
        var hits = request.Mode switch
        {
            SearchMode.Dense => await QdrantSearch.DenseAsync(book, request, filter, limit, cancellationToken),
            SearchMode.Keyword => await QdrantSearch.KeywordAsync(book, request, filter, limit, cancellationToken),
            _ => await QdrantSearch.HybridAsync(book, request, filter, limit, cancellationToken),
        };
        QdrantLog.Searched(logger, request.Mode, hits.Count, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return hits;
    }

    public async Task<IndexStats> GetStatsAsync(CancellationToken cancellationToken)
    {
        // Before the first ingest there is no collection: that is an empty index, not a failure.
        if (!await CallAsync("collection check", ct => client.CollectionExistsAsync(collection, ct), cancellationToken))
        {
            return new IndexStats(0, 0, null, null);
        }

        var chunks = await CallAsync("count", ct => client.CountAsync(collection, WithoutMetadata(), exact: true, cancellationToken: ct), cancellationToken);

        var pages = await GetPageUrlsAsync(cancellationToken);
        var metadata = await ReadMetadataAsync(cancellationToken);
        return new IndexStats((long)chunks, pages.Count, metadata?.Embedding, metadata?.BuiltAt);
    }

    public async Task MarkBuiltAsync(DateTimeOffset builtAt, CancellationToken cancellationToken)
    {
        var payload = new Dictionary<string, Value> { [Payload.BuiltAt] = builtAt.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture) };
        await CallAsync("metadata update", ct => client.SetPayloadAsync(collection, payload, MetadataPointId, wait: true, cancellationToken: ct), cancellationToken);
        QdrantLog.BuiltMarked(logger, collection, builtAt);
    }

    /// <summary>
    /// Checks reachability, the key and the collection with one authenticated call (<c>CollectionExists</c>).
    /// Qdrant's own health call is no use here: the server answers it without checking the key.
    /// </summary>
    public async Task<StoreProbe> ProbeAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var exists = await CallAsync("collection check", ct => client.CollectionExistsAsync(collection, ct), cancellationToken);
            return new StoreProbe(exists, exists ? null : $"Qdrant collection '{collection}' not found — run ingest", Stopwatch.GetElapsedTime(started));
        }
        catch (VectorStoreException ex)
        {
            return new StoreProbe(false, ex.Message, Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task CreateCollectionAsync(EmbeddingModelInfo embedding, CancellationToken cancellationToken)
    {
        var vectors = new VectorParamsMap { Map = { [DenseVectorName] = new VectorParams { Size = (ulong)embedding.Dimensions, Distance = Distance.Cosine } } };
        var sparse = new SparseVectorConfig { Map = { [SparseVectorName] = new SparseVectorParams { Modifier = Modifier.Idf } } };
        try
        {
            await client.CreateCollectionAsync(collection, vectors, sparseVectorsConfig: sparse, cancellationToken: cancellationToken);
            QdrantLog.CollectionCreated(logger, collection, options.Endpoint, embedding);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.AlreadyExists)
        {
            // Another instance created it first: the checks that follow apply to theirs.
        }
        catch (RpcException ex)
        {
            throw errors.Fail(ex, "collection create", cancellationToken);
        }
        catch (global::Qdrant.Client.QdrantException ex)
        {
            throw errors.Translate(ex, "collection create");
        }
    }

    private async Task<IndexMetadata?> ReadMetadataAsync(CancellationToken cancellationToken)
    {
        var points = await CallAsync(
            "metadata read",
            ct => client.RetrieveAsync(collection, MetadataPointId, withPayload: true, withVectors: false, cancellationToken: ct),
            cancellationToken);
        if (points.Count == 0)
        {
            return null;
        }

        return ReadMetadata(points[0].Payload);
    }

    private async Task WriteMetadataAsync(EmbeddingModelInfo embedding, CancellationToken cancellationToken)
    {
        var point = MetadataPoint(embedding);
        await CallAsync("metadata write", ct => client.UpsertAsync(collection, [point], wait: true, cancellationToken: ct), cancellationToken);
        QdrantLog.MetadataRecorded(logger, collection, embedding);
    }

    private static bool IsLoopback(string host)
        => host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
           || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));

    private Task<T> CallAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
        => book.CallAsync(operation, call, cancellationToken);

    private Task<List<RetrievedPoint>> ScrollAllAsync(Filter filter, string[]? payload, uint pageSize, CancellationToken cancellationToken)
        => book.ScrollAllAsync(filter, payload is null ? new WithPayloadSelector { Enable = true } : payload, pageSize, "scroll", cancellationToken);
}
