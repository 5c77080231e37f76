using Grpc.Core;
using Microsoft.Extensions.Options;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using RagFunctions.Retrieval.VectorStore.Qdrant;

namespace RagFunctions.Translation;

/// <summary>
/// Translated sections in the Qdrant collection <c>&lt;COLLECTION_NAME&gt;_translations</c>, so stateless instances share
/// them: one point per section, id = <see cref="TranslationKey.Uuid"/>, the translation in the payload, and a one-number
/// placeholder vector (Qdrant points need one; nothing searches it).
/// </summary>
internal sealed class QdrantTranslationCache(QdrantClient client, IOptions<QdrantStoreOptions> options) : ITranslationCache
{
    private readonly SemaphoreSlim create = new(1, 1);
    private volatile bool ready;

    public string Provider => "qdrant";

    public string Collection { get; } = options.Value.Collection + "_translations";

    public async Task<string?> GetAsync(TranslationKey key, CancellationToken cancellationToken)
    {
        await EnsureCollectionAsync(cancellationToken);
        var points = await client.RetrieveAsync(Collection, key.Uuid, withPayload: true, withVectors: false, cancellationToken: cancellationToken);
        return points.Count > 0
               && points[0].Payload.TryGetValue("key", out var stored) && stored.StringValue == key.Value
               && points[0].Payload.TryGetValue("translation", out var translation)
            ? translation.StringValue
            : null;
    }

    public async Task SetAsync(TranslationKey key, string translation, CancellationToken cancellationToken)
    {
        await EnsureCollectionAsync(cancellationToken);
        var point = new PointStruct
        {
            Id = key.Uuid,
            Vectors = new[] { 0f },
            Payload =
            {
                ["key"] = key.Value,
                ["language"] = key.Language,
                ["model"] = key.Model,
                ["translation"] = translation,
            },
        };
        await client.UpsertAsync(Collection, [point], wait: true, cancellationToken: cancellationToken);
    }

    public async Task<IReadOnlyList<CachedTranslation>> ListAsync(string language, CancellationToken cancellationToken)
    {
        await EnsureCollectionAsync(cancellationToken);
        var result = new List<CachedTranslation>();
        PointId? offset = null;
        do
        {
            var page = await client.ScrollAsync(
                Collection, new Filter { Must = { Conditions.MatchKeyword("language", language) } }, limit: 256, offset: offset,
                payloadSelector: true, vectorsSelector: false, cancellationToken: cancellationToken);
            foreach (var point in page.Result)
            {
                if (point.Payload.TryGetValue("key", out var key) && point.Payload.TryGetValue("translation", out var translation))
                {
                    result.Add(CachedTranslation.FromKey(key.StringValue, translation.StringValue));
                }
            }

            offset = page.NextPageOffset;
        }
        while (offset is not null);

        return result;
    }

    private async Task EnsureCollectionAsync(CancellationToken cancellationToken)
    {
        if (ready)
        {
            return;
        }

        await create.WaitAsync(cancellationToken);
        try
        {
            if (!ready && !await client.CollectionExistsAsync(Collection, cancellationToken))
            {
                try
                {
                    await client.CreateCollectionAsync(Collection, new VectorParams { Size = 1, Distance = Distance.Dot }, cancellationToken: cancellationToken);
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.AlreadyExists)
                {
                    // Another instance created it first.
                }
            }

            ready = true;
        }
        finally
        {
            create.Release();
        }
    }
}
