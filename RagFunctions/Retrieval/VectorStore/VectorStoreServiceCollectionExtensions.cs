using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RagFunctions.Hosting;
using RagFunctions.Retrieval.VectorStore.Qdrant;
using RagFunctions.Retrieval.VectorStore.Sqlite;

namespace RagFunctions.Retrieval.VectorStore;

/// <summary>Which <see cref="IVectorStore"/> the app uses; read once from configuration.</summary>
internal enum StoreSelection
{
    /// <summary>The embedded index under <c>RAG_DATA_DIR</c>: the default, no server and no key.</summary>
    Sqlite,

    /// <summary>Qdrant over gRPC when <c>QDRANT_URL</c> is set: instances are then stateless and share it.</summary>
    Qdrant,
}

internal static class VectorStoreServiceCollectionExtensions
{
    /// <summary>Registers the configured store as the <see cref="IVectorStore"/> singleton.</summary>
    public static IServiceCollection AddVectorStore(this IServiceCollection services, IConfiguration configuration)
    {
        switch (SelectStore(configuration))
        {
            case StoreSelection.Sqlite:
                services.AddValidatedOptions<SqliteStoreOptions, SqliteStoreOptionsValidator>(configuration);
                services.AddSingleton<SqliteVectorStore>();
                services.AddSingleton<IVectorStore>(provider => provider.GetRequiredService<SqliteVectorStore>());
                break;
            case StoreSelection.Qdrant:
                services.AddQdrantStore(configuration);
                break;
        }

        return services;
    }

    /// <summary>The one place that decides the store: Qdrant when <c>QDRANT_URL</c> is set, else the embedded SQLite index.</summary>
    public static StoreSelection SelectStore(IConfiguration configuration)
        => string.IsNullOrWhiteSpace(configuration[EnvironmentVariables.QdrantUrl]) ? StoreSelection.Sqlite : StoreSelection.Qdrant;
}
