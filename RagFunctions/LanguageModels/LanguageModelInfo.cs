using RagFunctions.Cohere;
using RagFunctions.Retrieval.Embeddings;

namespace RagFunctions.LanguageModels;

/// <summary>
/// Which language models this instance uses, for health and for the chat and translation services
/// (translation passes <see cref="TranslateModel"/> as <c>ChatOptions.ModelId</c>). No secrets, no URLs.
/// </summary>
/// <param name="ChatProvider"><see cref="Cohere"/>, <see cref="OpenAiCompatible"/> or <see cref="None"/> (extractive answers only).</param>
/// <param name="EmbeddingProvider"><c>local</c> or <c>cohere</c>.</param>
internal sealed record LanguageModelInfo(
    string ChatProvider,
    string? ChatModel,
    string? TranslateModel,
    string EmbeddingProvider,
    string EmbeddingModel,
    int? EmbeddingDimensions)
{
    public const string Cohere = "cohere";
    public const string OpenAiCompatible = "openai-compatible";
    public const string None = "none";

    public bool HasChat => ChatProvider != None;

    public static LanguageModelInfo From(CohereOptions cohere, LlmOptions llm, EmbeddingsOptions embeddings)
    {
        var (provider, chatModel, translateModel) = cohere.IsConfigured ? (Cohere, cohere.ChatModel, cohere.TranslateModel)
            : llm.IsConfigured ? (OpenAiCompatible, llm.Model, llm.Model)
            : (None, (string?)null, (string?)null);
        return embeddings.UsesCohere
            ? new LanguageModelInfo(provider, chatModel, translateModel, EmbeddingsOptions.Cohere,
                cohere.EmbedModel, CohereEmbeddingGenerator.DimensionsOf(cohere.EmbedModel))
            : new LanguageModelInfo(provider, chatModel, translateModel, EmbeddingsOptions.Local,
                LocalEmbeddingGenerator.ModelId, LocalEmbeddingGenerator.Dimensions);
    }
}
