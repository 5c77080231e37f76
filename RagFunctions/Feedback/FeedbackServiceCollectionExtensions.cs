using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RagFunctions.Hosting;
using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Feedback;

internal static class FeedbackServiceCollectionExtensions
{
    /// <summary>Feedback and the answer log, stored where the index is (the store chosen by <see cref="VectorStoreServiceCollectionExtensions.SelectStore"/>).</summary>
    public static IServiceCollection AddFeedback(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<RagMetrics>();
        switch (VectorStoreServiceCollectionExtensions.SelectStore(configuration))
        {
            case StoreSelection.Qdrant:
                services.AddSingleton<IFeedbackStore, QdrantFeedbackStore>();
                break;
            default:
                services.AddSingleton<IFeedbackStore, SqliteFeedbackStore>();
                break;
        }

        services.AddSingleton<AnswerRecorder>();
        services.AddSingleton<FeedbackService>();
        services.AddApiJson(FeedbackJsonContext.Api);
        return services;
    }
}
