using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace RagFunctions.LanguageModels;

/// <summary>This app's chat-client decorators as <see cref="ChatClientBuilder"/> steps, like the library's own <c>UseLogging()</c>.</summary>
internal static class ChatClientBuilderExtensions
{
    /// <summary>Every call first takes one from the <see cref="DailyCallBudget"/> (<see cref="BudgetedChatClient"/>).</summary>
    public static ChatClientBuilder UseDailyCallBudget(this ChatClientBuilder builder)
        => builder.Use((inner, services) => new BudgetedChatClient(inner, services.GetRequiredService<DailyCallBudget>()));

    /// <summary>Grounding documents go into the prompt, for models without a documents field (<see cref="DocumentsInPromptChatClient"/>).</summary>
    public static ChatClientBuilder UseDocumentsInPrompt(this ChatClientBuilder builder)
        => builder.Use(inner => new DocumentsInPromptChatClient(inner));
}
