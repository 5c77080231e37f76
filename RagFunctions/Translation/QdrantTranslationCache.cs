using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using RagFunctions.Retrieval.VectorStore.Qdrant;

namespace RagFunctions.Translation;

/// <summary>
/// Translated sections in the Qdrant collection <c>&lt;COLLECTION_NAME&gt;_translations</c>, so stateless instances share
/// them: one payload-only point per section (<see cref="QdrantCollection"/>), id = <see cref="TranslationKey.Uuid"/>,
/// the translation in the payload.
/// </summary>
internal sealed class QdrantTranslationCache(QdrantClient client, IOptions<QdrantStoreOptions> options, ILogger<QdrantTranslationCache> logger)
    : ITranslationCache
{
    private const uint Page = 256;

    private readonly QdrantCollection collection = new(
        client, new QdrantErrors(options.Value, logger), options.Value.Collection + "_translations");

    public string Provider => "qdrant";

    public string Collection => collection.Name;

    public async Task<string?> GetAsync(TranslationKey key, CancellationToken cancellationToken)
    {
        var payload = await collection.RetrievePayloadAsync(key.Uuid, "translation read", cancellationToken);
        return payload is not null
               && payload.TryGetValue("key", out var stored) && stored.StringValue == key.Value
               && payload.TryGetValue("translation", out var translation)
            ? translation.StringValue
            : null;
    }

    public Task SetAsync(TranslationKey key, string translation, CancellationToken cancellationToken)
    {
        var payload = new Dictionary<string, Value>
        {
            ["key"] = key.Value,
            ["language"] = key.Language,
            ["model"] = key.Model,
            ["translation"] = translation,
        };
        return collection.UpsertPayloadAsync(key.Uuid, payload, "translation write", cancellationToken);
    }

    public async Task<IReadOnlyList<CachedTranslation>> ListAsync(string language, CancellationToken cancellationToken)
    {
        await collection.EnsurePayloadCollectionAsync(cancellationToken);
        var points = await collection.ScrollAllAsync(
            new Filter { Must = { Conditions.MatchKeyword("language", language) } }, new WithPayloadSelector { Enable = true }, Page,
            "translation scroll", cancellationToken);
        var result = new List<CachedTranslation>();
        foreach (var point in points)
        {
            if (point.Payload.TryGetValue("key", out var key) && point.Payload.TryGetValue("translation", out var translation))
            {
                result.Add(CachedTranslation.FromKey(key.StringValue, translation.StringValue));
            }
        }

        return result;
    }
}
