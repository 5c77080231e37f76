using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RagFunctions.Hosting;
using RagFunctions.Retrieval;
using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Translation;

internal static class TranslationServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="TranslationService"/> with its options (validated at start), HybridCache in memory and the persisted
    /// <see cref="ITranslationCache"/> chosen like the store: SQLite next to the embedded index, or Qdrant with <c>QDRANT_URL</c>.
    /// </summary>
    public static IServiceCollection AddTranslation(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSettings<TranslationOptions, TranslationOptionsValidator>(configuration);
        services.TryAddSingleton<BookCatalog>();
        services.AddHybridCache();
        switch (VectorStoreServiceCollectionExtensions.SelectStore(configuration))
        {
            case StoreSelection.Sqlite:
                services.AddSingleton<ITranslationCache, SqliteTranslationCache>();
                break;
            case StoreSelection.Qdrant:
                services.AddSingleton<ITranslationCache, QdrantTranslationCache>();
                break;
        }

        services.AddSingleton<TranslationService>();
        return services;
    }
}
