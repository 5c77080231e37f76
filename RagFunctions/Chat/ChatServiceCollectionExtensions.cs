using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RagFunctions.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RagFunctions.Retrieval;

namespace RagFunctions.Chat;

internal static class ChatServiceCollectionExtensions
{
    /// <summary>
    /// The chat pipeline and what it reads. Urdu questions without a language model are searched in the book's stored
    /// Urdu translation (<see cref="TranslatedBookSearch"/>), read through the <c>StoredTranslations</c> that <c>AddTranslation</c> registers.
    /// <see cref="ChatWarmup"/> runs a few questions through it at start, before the service says it is ready.
    /// </summary>
    public static IServiceCollection AddChat(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddValidatedOptions<ChatPipelineOptions, ChatPipelineOptionsValidator>(configuration);
        services.TryAddSingleton(provider => provider.GetRequiredService<IOptions<ChatPipelineOptions>>().Value);
        services.AddHybridCache();
        services.AddSingleton<QuestionRewriter>();
        services.AddSingleton<AnswerSources>();
        services.AddSingleton<SectionReader>();
        services.AddSingleton<ExtractiveComposer>();
        services.AddSingleton<GroundedGenerator>();
        services.AddSingleton<AnswerCache>();
        services.AddSingleton<TranslatedBookSearch>();
        services.TryAddSingleton<IAnswerLog, NoAnswerLog>();
        services.AddSingleton<ChatService>();
        services.AddSingleton<ChatWarmup>();
        services.AddHostedService(provider => provider.GetRequiredService<ChatWarmup>());
        services.AddSingleton<StartupWarmup>(provider => provider.GetRequiredService<ChatWarmup>());
        services.AddApiJson(ChatJsonContext.Api);
        return services;
    }
}
