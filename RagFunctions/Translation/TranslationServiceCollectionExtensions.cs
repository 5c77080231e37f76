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
    /// <see cref="TranslationService"/> and the <see cref="StoredTranslations"/> it leaves, with its options (validated at start), HybridCache in memory and the persisted
    /// <see cref="ITranslationCache"/> in the storage the app chose (<see cref="StorageChoice"/>): SQLite next to the embedded index, or Qdrant with <c>QDRANT_URL</c>.
    /// </summary>
    public static IServiceCollection AddTranslation(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddValidatedOptions<TranslationOptions, TranslationOptionsValidator>(configuration);
        services.AddHybridCache();
        services.AddStored<ITranslationCache, SqliteTranslationCache, QdrantTranslationCache>();

        services.AddSingleton<TranslationService>();
        services.AddSingleton<StoredTranslations>();
        services.AddApiJson(TranslationJsonContext.Api);
        return services;
    }
}
