using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RagFunctions.Chat;
using RagFunctions.Hosting;
using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Feedback;

internal static class FeedbackServiceCollectionExtensions
{
    /// <summary>
    /// Feedback and the chat's answer log (<see cref="IAnswerLog"/>), stored where the index is (the storage the app chose,
    /// <see cref="StorageChoice"/>); the store is opened at start (<see cref="FeedbackWarmup"/>).
    /// </summary>
    public static IServiceCollection AddFeedback(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddStored<IFeedbackStore, SqliteFeedbackStore, QdrantFeedbackStore>();

        // Whichever of AddChat and AddFeedback comes first, the chat's answer log is this one.
        services.Replace(ServiceDescriptor.Singleton<IAnswerLog, AnswerRecorder>());
        services.AddSingleton<FeedbackService>();
        services.AddSingleton<FeedbackWarmup>();
        services.AddHostedService(provider => provider.GetRequiredService<FeedbackWarmup>());
        services.AddSingleton<StartupWarmup>(provider => provider.GetRequiredService<FeedbackWarmup>());
        services.AddApiJson(FeedbackJsonContext.Api);
        return services;
    }
}
