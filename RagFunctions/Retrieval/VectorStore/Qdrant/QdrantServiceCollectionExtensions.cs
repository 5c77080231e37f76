using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Qdrant.Client;
using RagFunctions.Hosting;

namespace RagFunctions.Retrieval.VectorStore.Qdrant;

internal static class QdrantServiceCollectionExtensions
{
    /// <summary>
    /// The Qdrant store as the app's <see cref="IVectorStore"/>: <see cref="QdrantStoreOptions"/> (validated at start),
    /// one <see cref="QdrantClient"/> (one gRPC channel, shared) and <see cref="QdrantVectorStore"/>.
    /// Call it when <c>QDRANT_URL</c> is set, instead of the embedded store.
    /// </summary>
    public static IServiceCollection AddQdrantStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<QdrantStoreOptions, QdrantStoreOptionsValidator>(configuration);
        services.AddSingleton(sp => CreateClient(sp.GetRequiredService<IOptions<QdrantStoreOptions>>().Value));
        services.AddSingleton<QdrantVectorStore>();
        services.AddSingleton<IVectorStore>(sp => sp.GetRequiredService<QdrantVectorStore>());
        return services;
    }

    /// <summary>
    /// A client for <see cref="QdrantStoreOptions.Endpoint"/>: explicit port (6334 when the URL has none), TLS for https,
    /// the key as <c>api-key</c> metadata, and a deadline on every call. Qdrant.Client's own logging stays off: the
    /// store logs what matters, without keys.
    /// </summary>
    public static QdrantClient CreateClient(QdrantStoreOptions options)
        => new(options.Endpoint.Address, options.Key, options.GrpcTimeout, NullLoggerFactory.Instance);
}
