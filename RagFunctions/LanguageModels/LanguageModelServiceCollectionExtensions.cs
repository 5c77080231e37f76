using System.ClientModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenAI;
using RagFunctions.Cohere;
using RagFunctions.Hosting;
using RagFunctions.Retrieval.Embeddings;

namespace RagFunctions.LanguageModels;

internal static class LanguageModelServiceCollectionExtensions
{
    /// <summary>
    /// The language models, chosen from configuration (validated at start):
    /// <list type="bullet">
    /// <item><see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>: <see cref="LocalEmbeddingGenerator"/>, or <see cref="CohereEmbeddingGenerator"/> with <c>EMBEDDINGS_PROVIDER=cohere</c>.</item>
    /// <item><see cref="IChatClient"/>, only when a model is configured: <see cref="CohereChatClient"/> with <c>COHERE_API_KEY</c>,
    /// else an OpenAI-compatible server (<c>LLM_BASE_URL</c> + <c>LLM_MODEL</c>) behind <see cref="DocumentsInPromptChatClient"/>.</item>
    /// <item>Either chat client behind <see cref="BudgetedChatClient"/>: at most <c>LLM_DAILY_CALL_LIMIT</c> calls a day.</item>
    /// <item><see cref="LanguageModelInfo"/>: what was chosen.</item>
    /// </list>
    /// </summary>
    public static IServiceCollection AddLanguageModels(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddCohere(configuration);
        services.AddValidatedOptions<LlmOptions, LlmOptionsValidator>(configuration);
        services.AddValidatedOptions<EmbeddingsOptions, EmbeddingsOptionsValidator>(configuration);

        var cohere = configuration.Get<CohereOptions>() ?? new CohereOptions();
        var llm = configuration.Get<LlmOptions>() ?? new LlmOptions();
        var embeddings = configuration.Get<EmbeddingsOptions>() ?? new EmbeddingsOptions();
        services.AddSingleton(LanguageModelInfo.From(cohere, llm, embeddings));

        if (embeddings.UsesCohere)
        {
            services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>, CohereEmbeddingGenerator>();
        }
        else
        {
            services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>, LocalEmbeddingGenerator>();
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<DailyCallBudget>();
        if (cohere.IsConfigured)
        {
            services.AddSingleton<CohereChatClient>();
            services.AddChatClient(sp => sp.GetRequiredService<CohereChatClient>())
                .UseDailyCallBudget();
        }
        else if (llm.IsConfigured)
        {
            services.AddChatClient(_ => CreateOpenAiCompatible(llm))
                .UseDailyCallBudget()
                .UseDocumentsInPrompt();
        }

        return services;
    }

    private static IChatClient CreateOpenAiCompatible(LlmOptions llm)
        => new OpenAIClient(new ApiKeyCredential(llm.ApiKey ?? "unused"), new OpenAIClientOptions { Endpoint = new Uri(llm.BaseUrl!) })
            .GetChatClient(llm.Model)
            .AsIChatClient();
}
