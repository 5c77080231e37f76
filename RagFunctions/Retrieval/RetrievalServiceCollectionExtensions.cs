using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using RagFunctions.Hosting;
using RagFunctions.Retrieval.Embeddings;
using RagFunctions.Retrieval.VectorStore;
using RagFunctions.Retrieval.Vocabulary;

namespace RagFunctions.Retrieval;

internal static class RetrievalServiceCollectionExtensions
{
    /// <summary>
    /// The index and how it is searched: the store (SQLite or Qdrant, see <see cref="StorageChoice"/>), the catalog of
    /// its pages, whether it fits the embedding model, its vocabulary (spelling), the hybrid retriever, and the embedding model's warm-up at start. The catalog
    /// needs the site's address as a <see cref="BookSite"/>, which <c>AddIngestion</c> registers.
    /// </summary>
    public static IServiceCollection AddRetrieval(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddStorage(configuration);
        services.AddSingleton<BookCatalog>();
        services.AddSingleton<IndexState>();
        services.AddSingleton<IndexVocabulary>();
        services.AddSingleton<Retriever>();
        services.AddSingleton<EmbeddingWarmup>();
        services.AddSingleton<IHostedService>(provider => provider.GetRequiredService<EmbeddingWarmup>());
        services.AddSingleton<StartupWarmup>(provider => provider.GetRequiredService<EmbeddingWarmup>());
        return services;
    }
}
