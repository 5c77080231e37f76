using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RagFunctions.Retrieval;

namespace RagFunctions.Chat;

internal static class ChatServiceCollectionExtensions
{
    public static IServiceCollection AddChat(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ChatSettings>();
        services.TryAddSingleton<BookCatalog>();
        services.TryAddSingleton<Retriever>();
        services.AddHybridCache();
        services.AddSingleton<QuestionRewriter>();
        services.AddSingleton<ChatService>();
        return services;
    }
}
