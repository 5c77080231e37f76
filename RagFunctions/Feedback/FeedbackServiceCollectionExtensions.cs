using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RagFunctions.Hosting;
using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Feedback;

internal static class FeedbackServiceCollectionExtensions
{
    /// <summary>Feedback and the answer log, stored where the index is (the storage the app chose, <see cref="StorageChoice"/>).</summary>
    public static IServiceCollection AddFeedback(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<RagMetrics>();
        services.AddStored<IFeedbackStore, SqliteFeedbackStore, QdrantFeedbackStore>();

        services.AddSingleton<AnswerRecorder>();
        services.AddSingleton<FeedbackService>();
        services.AddApiJson(FeedbackJsonContext.Api);
        return services;
    }
}
