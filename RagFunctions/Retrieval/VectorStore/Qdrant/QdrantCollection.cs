using Grpc.Core;
using Qdrant.Client;
using Qdrant.Client.Grpc;

namespace RagFunctions.Retrieval.VectorStore.Qdrant;

/// <summary>
/// One Qdrant collection through the shared client, every call's failure mapped by <see cref="QdrantErrors"/>: the book
/// index's collection, and the payload-only collections beside it (<c>&lt;COLLECTION_NAME&gt;_translations</c>,
/// <c>_feedback</c>), whose points carry a one-number placeholder vector (Qdrant points need one; nothing searches it).
/// </summary>
internal sealed class QdrantCollection(QdrantClient client, QdrantErrors errors, string name)
{
    private readonly SemaphoreSlim create = new(1, 1);
    private volatile bool ready;

    public string Name => name;

    public QdrantClient Client => client;

    /// <inheritdoc cref="QdrantErrors.CallAsync"/>
    public Task<T> CallAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
        => errors.CallAsync(operation, call, cancellationToken);

    /// <summary>Every point that <paramref name="filter"/> selects, scrolled <paramref name="pageSize"/> at a time, without vectors.</summary>
    public async Task<List<RetrievedPoint>> ScrollAllAsync(
        Filter? filter, WithPayloadSelector payload, uint pageSize, string operation, CancellationToken cancellationToken)
    {
        var all = new List<RetrievedPoint>();
        PointId? offset = null;
        do
        {
            var from = offset;
            var page = await CallAsync(
                operation,
                ct => client.ScrollAsync(name, filter, pageSize, from, payload, new WithVectorsSelector { Enable = false }, cancellationToken: ct),
                cancellationToken);
            all.AddRange(page.Result);
            offset = page.NextPageOffset;
        }
        while (offset is not null);

        return all;
    }

    /// <summary>Creates this payload-only collection the first time it is needed (once per instance; another instance may win the race).</summary>
    public async Task EnsurePayloadCollectionAsync(CancellationToken cancellationToken)
    {
        if (ready)
        {
            return;
        }

        await create.WaitAsync(cancellationToken);
        try
        {
            if (!ready && !await CallAsync($"{name} collection check", ct => client.CollectionExistsAsync(name, ct), cancellationToken))
            {
                try
                {
                    await client.CreateCollectionAsync(name, new VectorParams { Size = 1, Distance = Distance.Dot }, cancellationToken: cancellationToken);
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.AlreadyExists)
                {
                    // Another instance created it first.
                }
                catch (RpcException ex)
                {
                    throw errors.Fail(ex, $"{name} collection create", cancellationToken);
                }
            }

            ready = true;
        }
        finally
        {
            create.Release();
        }
    }

    /// <summary>Stores (or replaces) one payload-only point, after <see cref="EnsurePayloadCollectionAsync"/>.</summary>
    public async Task UpsertPayloadAsync(Guid id, IDictionary<string, Value> payload, string operation, CancellationToken cancellationToken)
    {
        await EnsurePayloadCollectionAsync(cancellationToken);
        var point = new PointStruct { Id = id, Vectors = new[] { 1f } };
        point.Payload.Add(payload);
        await CallAsync(operation, ct => client.UpsertAsync(name, [point], wait: true, cancellationToken: ct), cancellationToken);
    }

    /// <summary>The payload of one point, or null when there is none, after <see cref="EnsurePayloadCollectionAsync"/>.</summary>
    public async Task<Google.Protobuf.Collections.MapField<string, Value>?> RetrievePayloadAsync(Guid id, string operation, CancellationToken cancellationToken)
    {
        await EnsurePayloadCollectionAsync(cancellationToken);
        var points = await CallAsync(operation, ct => client.RetrieveAsync(name, id, withPayload: true, withVectors: false, cancellationToken: ct), cancellationToken);
        return points.Count > 0 ? points[0].Payload : null;
    }
}
