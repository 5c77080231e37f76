using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RagFunctions.Hosting;
using RagFunctions.Retrieval.VectorStore.Qdrant;
using RagFunctions.Retrieval.VectorStore.Sqlite;

namespace RagFunctions.Retrieval.VectorStore;

/// <summary>Where the app keeps everything it stores: the book index, the translation cache and the feedback.</summary>
internal enum StorageKind
{
    /// <summary>SQLite files under <c>RAG_DATA_DIR</c>: the default, no server and no key.</summary>
    Sqlite,

    /// <summary>Qdrant over gRPC when <c>QDRANT_URL</c> is set: instances are then stateless and share it.</summary>
    Qdrant,
}

/// <summary>
/// The storage the app chose, registered once by <see cref="StorageServiceCollectionExtensions.AddStorage"/>: every store
/// (index, translations, feedback) lives in it, so they are never split between SQLite and Qdrant.
/// </summary>
internal sealed record StorageChoice(StorageKind Kind)
{
    /// <summary>The one place that decides: Qdrant when <c>QDRANT_URL</c> is set, else SQLite.</summary>
    public static StorageChoice From(IConfiguration configuration)
        => new(string.IsNullOrWhiteSpace(configuration[EnvironmentVariables.QdrantUrl]) ? StorageKind.Sqlite : StorageKind.Qdrant);
}

internal static class StorageServiceCollectionExtensions
{
    /// <summary>Decides the storage once (<see cref="StorageChoice"/>) and registers it with the book index as <see cref="IVectorStore"/>.</summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
        => StorageChoice.From(configuration).Kind switch
        {
            StorageKind.Qdrant => services.AddQdrantStore(configuration),
            _ => services.AddSqliteStore(configuration),
        };

    /// <summary>The embedded index and the SQLite storage choice.</summary>
    public static IServiceCollection AddSqliteStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(new StorageChoice(StorageKind.Sqlite));
        services.AddValidatedOptions<SqliteStoreOptions, SqliteStoreOptionsValidator>(configuration);
        services.AddSingleton<SqliteVectorStore>();
        services.AddSingleton<IVectorStore>(provider => provider.GetRequiredService<SqliteVectorStore>());
        return services;
    }

    /// <summary>
    /// A capability's store in the chosen storage: <typeparamref name="TSqlite"/> or <typeparamref name="TQdrant"/> as the
    /// <typeparamref name="TService"/> singleton, as <see cref="StorageChoice"/> says. The capability keeps its interface
    /// and both implementations; it only asks the decision.
    /// </summary>
    public static IServiceCollection AddStored<TService, TSqlite, TQdrant>(this IServiceCollection services)
        where TService : class
        where TSqlite : class, TService
        where TQdrant : class, TService
        => services.AddSingleton<TService>(provider => provider.GetRequiredService<StorageChoice>().Kind switch
        {
            StorageKind.Qdrant => ActivatorUtilities.CreateInstance<TQdrant>(provider),
            _ => ActivatorUtilities.CreateInstance<TSqlite>(provider),
        });
}
