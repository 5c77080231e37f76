using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RagFunctions.Chat;
using RagFunctions.Hosting;
using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Feedback;

internal static class FeedbackServiceCollectionExtensions
{
    /// <summary>Feedback and the chat's answer log (<see cref="IAnswerLog"/>), stored where the index is (the store chosen by <see cref="VectorStoreServiceCollectionExtensions.SelectStore"/>).</summary>
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

        // Whichever of AddChat and AddFeedback comes first, the chat's answer log is this one.
        services.Replace(ServiceDescriptor.Singleton<IAnswerLog, AnswerRecorder>());
        services.AddSingleton<FeedbackService>();
        return services;
    }
}
