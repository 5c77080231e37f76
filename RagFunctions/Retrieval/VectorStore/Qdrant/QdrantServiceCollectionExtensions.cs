using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using RagFunctions.Hosting;

namespace RagFunctions.Retrieval.VectorStore.Qdrant;

internal static class QdrantServiceCollectionExtensions
{
    /// <summary>
    /// The Qdrant store as the app's <see cref="IVectorStore"/>: <see cref="QdrantStoreOptions"/> (validated at start),
    /// one <see cref="QdrantClient"/> (one gRPC channel, shared) and <see cref="QdrantVectorStore"/>.
    /// <see cref="StorageServiceCollectionExtensions.AddStorage"/> calls it when <c>QDRANT_URL</c> is set, instead of the embedded store.
    /// </summary>
    public static IServiceCollection AddQdrantStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(new StorageChoice(StorageKind.Qdrant));
        services.AddValidatedOptions<QdrantStoreOptions, QdrantStoreOptionsValidator>(configuration);
        services.AddSingleton(sp => CreateClient(sp.GetRequiredService<IOptions<QdrantStoreOptions>>().Value));
        services.AddSingleton<QdrantVectorStore>();
        services.AddSingleton<IVectorStore>(sp => sp.GetRequiredService<QdrantVectorStore>());
        return services;
    }

    /// <summary>
    /// A client for <see cref="QdrantStoreOptions.Endpoint"/>: explicit port (6334 when the URL has none), TLS for https,
    /// the key as <c>api-key</c> metadata (as Qdrant.Client sends it), and a deadline on every call. Qdrant.Client's own
    /// logging stays off: the store logs what matters, without keys.
    /// </summary>
    /// <remarks>
    /// The channel sends each call through an <see cref="HttpClientHandler"/>, which connects whenever a call needs a
    /// connection. Over a bare <see cref="SocketsHttpHandler"/> (Qdrant.Client's default) gRPC tracks the connection
    /// itself and, once Qdrant has refused it, fails every call at once while it waits to reconnect (1 s, growing to
    /// 2 minutes): the app would keep answering 503 for up to two minutes after Qdrant is back.
    /// </remarks>
    public static QdrantClient CreateClient(QdrantStoreOptions options)
    {
        var channel = GrpcChannel.ForAddress(options.Endpoint.Address, new GrpcChannelOptions
        {
            HttpHandler = new HttpClientHandler(),
            DisposeHttpClient = true,
        });
        var key = options.Key;
        var calls = key is null ? channel.CreateCallInvoker() : channel.Intercept(metadata =>
        {
            metadata.Add("api-key", key);
            return metadata;
        });
        return new ChannelOwningClient(channel, new QdrantGrpcClient(calls), options.GrpcTimeout);
    }

    /// <summary>A <see cref="QdrantClient"/> that disposes its channel with it.</summary>
    private sealed class ChannelOwningClient(GrpcChannel channel, QdrantGrpcClient grpc, TimeSpan timeout)
        : QdrantClient(grpc, timeout, NullLoggerFactory.Instance)
    {
        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (disposing)
            {
                channel.Dispose();
            }
        }
    }
}
