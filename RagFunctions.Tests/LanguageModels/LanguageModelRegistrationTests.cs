using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RagFunctions.Cohere;
using RagFunctions.Hosting;
using RagFunctions.LanguageModels;
using RagFunctions.Retrieval;
using RagFunctions.Retrieval.Embeddings;
using RagFunctions.Tests.Cohere;
using RagFunctions.Tests.Fakes;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.LanguageModels;

public sealed class LanguageModelRegistrationTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void AddLanguageModels_NothingConfigured_LocalEmbeddingsAndNoChatClient()
    {
        using var services = Build([]);

        Assert.Null(services.GetService<IChatClient>());
        Assert.IsType<LocalEmbeddingGenerator>(services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>());
        var info = services.GetRequiredService<LanguageModelInfo>();
        Assert.Equal(new LanguageModelInfo("none", null, null, "local", LocalEmbeddingGenerator.ModelId, 384), info);
        Assert.False(info.HasChat);
    }

    [Fact]
    public void AddLanguageModels_CohereKey_CohereChatWithLocalEmbeddings()
    {
        using var services = Build(new() { [EnvironmentVariables.CohereApiKey] = "co-key", [EnvironmentVariables.CohereTranslateModel] = "command-a-translate-08-2025" });

        AssertBudgeted<CohereChatClient>(services.GetRequiredService<IChatClient>());
        Assert.IsType<LocalEmbeddingGenerator>(services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>());
        Assert.Equal(
            new LanguageModelInfo("cohere", "command-a-03-2025", "command-a-translate-08-2025", "local", LocalEmbeddingGenerator.ModelId, 384),
            services.GetRequiredService<LanguageModelInfo>());
    }

    [Fact]
    public void AddLanguageModels_CohereEverything_CohereChatAndEmbeddings()
    {
        using var services = Build(new()
        {
            [EnvironmentVariables.CohereApiKey] = "co-key",
            [EnvironmentVariables.EmbeddingsProvider] = "Cohere",
            [EnvironmentVariables.CohereEmbedModel] = "embed-v4.0",
        });

        AssertBudgeted<CohereChatClient>(services.GetRequiredService<IChatClient>());
        Assert.IsType<CohereEmbeddingGenerator>(services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>());
        Assert.Equal(
            new LanguageModelInfo("cohere", "command-a-03-2025", "command-a-03-2025", "cohere", "embed-v4.0", 1536),
            services.GetRequiredService<LanguageModelInfo>());
    }

    [Fact]
    public void AddLanguageModels_LlmServer_OpenAiCompatibleClientBehindTheDocumentsWrapper()
    {
        using var services = Build(new() { [EnvironmentVariables.LlmBaseUrl] = "http://localhost:11434/v1", [EnvironmentVariables.LlmModel] = "qwen2.5:7b" });

        var chat = AssertBudgeted<DocumentsInPromptChatClient>(services.GetRequiredService<IChatClient>());
        var metadata = chat.GetService<ChatClientMetadata>()!;
        Assert.Equal("openai", metadata.ProviderName);
        Assert.Equal("qwen2.5:7b", metadata.DefaultModelId);
        Assert.Equal(
            new LanguageModelInfo("openai-compatible", "qwen2.5:7b", "qwen2.5:7b", "local", LocalEmbeddingGenerator.ModelId, 384),
            services.GetRequiredService<LanguageModelInfo>());
    }

    [Fact]
    public void AddLanguageModels_CohereAndLlmBoth_CohereWins()
    {
        using var services = Build(new()
        {
            [EnvironmentVariables.CohereApiKey] = "co-key",
            [EnvironmentVariables.LlmBaseUrl] = "http://localhost:11434/v1",
            [EnvironmentVariables.LlmModel] = "qwen2.5:7b",
        });

        AssertBudgeted<CohereChatClient>(services.GetRequiredService<IChatClient>());
    }

    [Fact]
    public void AddLanguageModels_BlankValues_CountAsUnset()
    {
        using var services = Build(new()
        {
            [EnvironmentVariables.CohereApiKey] = "  ",
            [EnvironmentVariables.CohereChatModel] = "",
            [EnvironmentVariables.EmbeddingsProvider] = "",
            [EnvironmentVariables.CohereBaseUrl] = "",
        });

        Assert.Null(services.GetService<IChatClient>());
        var options = services.GetRequiredService<IOptions<CohereOptions>>().Value;
        Assert.Equal("command-a-03-2025", options.ChatModel);
        Assert.Equal("https://api.cohere.com", options.BaseUrl);
        Assert.False(options.IsConfigured);
    }

    [Theory]
    [InlineData("api.cohere.com")]
    [InlineData("ftp://api.cohere.com")]
    [InlineData("/v2")]
    public void Validation_BadCohereBaseUrl_NamesTheVariable(string url)
    {
        using var services = Build(new() { [EnvironmentVariables.CohereBaseUrl] = url });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<CohereOptions>>().Value);

        Assert.Contains("COHERE_BASE_URL must be an absolute http(s) URL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_CohereEmbeddingsWithoutKey_NamesBothVariables()
    {
        using var services = Build(new() { [EnvironmentVariables.EmbeddingsProvider] = "cohere" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<EmbeddingsOptions>>().Value);

        Assert.Contains("EMBEDDINGS_PROVIDER=cohere needs COHERE_API_KEY", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_UnknownEmbeddingsProvider_ListsTheChoices()
    {
        using var services = Build(new() { [EnvironmentVariables.EmbeddingsProvider] = "openai" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<EmbeddingsOptions>>().Value);

        Assert.Contains("EMBEDDINGS_PROVIDER must be 'local' or 'cohere', not 'openai'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_LlmBaseUrlWithoutModel_NamesLlmModel()
    {
        using var services = Build(new() { [EnvironmentVariables.LlmBaseUrl] = "http://localhost:8000/v1" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<LlmOptions>>().Value);

        Assert.Contains("LLM_MODEL is required when LLM_BASE_URL is set", error.Message, StringComparison.Ordinal);
        Assert.Null(services.GetService<IChatClient>());
    }

    [Fact]
    public void Validation_LlmBaseUrlNotHttp_NamesTheVariable()
    {
        using var services = Build(new() { [EnvironmentVariables.LlmBaseUrl] = "localhost:8000", [EnvironmentVariables.LlmModel] = "m" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<LlmOptions>>().Value);

        Assert.Contains("LLM_BASE_URL must be an absolute http(s) URL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task App_BadCohereBaseUrl_FailsAtStartNamingTheVariable()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(
            new Dictionary<string, string?> { [EnvironmentVariables.CohereBaseUrl] = "not a url" },
            static (services, configuration) =>
            {
                AppServices.Add(services, configuration);
                services.AddLanguageModels(configuration);
            }));

        Assert.Contains("COHERE_BASE_URL must be an absolute http(s) URL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenAiCompatibleChat_DocumentsTravelAsAUserMessageBeforeTheQuestion()
    {
        await using var server = await OpenAiCompatibleStub.StartAsync(Cancel);
        using var services = Build(new() { [EnvironmentVariables.LlmBaseUrl] = server.BaseUrl + "/v1", [EnvironmentVariables.LlmModel] = "llama3.1" });
        var options = CohereHarness.WithDocuments(CohereHarness.Ros);

        var response = await services.GetRequiredService<IChatClient>().GetResponseAsync(CohereHarness.Question, options, Cancel);

        Assert.Equal(server.Answer, response.Text);
        var sent = Assert.Single(server.Requests);
        Assert.Equal("/v1/chat/completions", sent.Path);
        Assert.Equal("Bearer unused", sent.Header("Authorization"));
        var json = sent.Json;
        Assert.Equal("llama3.1", json.GetProperty("model").GetString());
        Assert.False(json.TryGetProperty(GroundingDocument.OptionsKey, out _));
        var messages = json.GetProperty("messages").EnumerateArray().ToArray();
        Assert.Equal(["system", "user", "user"], messages.Select(m => m.GetProperty("role").GetString()));
        Assert.Equal("Answer only from the documents.", Text(messages[0]));
        Assert.StartsWith("<documents>\n<document id=\"doc-1\" title=\"Introduction to ROS 2\" url=\"/docs/intro\">", Text(messages[1]), StringComparison.Ordinal);
        Assert.Contains(CohereHarness.Ros.Text, Text(messages[1]), StringComparison.Ordinal);
        Assert.Equal("What is ROS 2?", Text(messages[2]));
    }

    private static string Text(System.Text.Json.JsonElement message)
    {
        var content = message.GetProperty("content");
        return content.ValueKind == System.Text.Json.JsonValueKind.String
            ? content.GetString()!
            : string.Concat(content.EnumerateArray().Select(part => part.GetProperty("text").GetString()));
    }

    /// <summary>Every chat client sits behind the daily call budget; the provider's client is inside.</summary>
    private static TClient AssertBudgeted<TClient>(IChatClient chat)
        where TClient : class
    {
        Assert.IsType<BudgetedChatClient>(chat);
        return Assert.IsType<TClient>(chat.GetService<TClient>());
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddLanguageModels(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
