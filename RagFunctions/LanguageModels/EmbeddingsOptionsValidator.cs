using Microsoft.Extensions.Options;
using RagFunctions.Cohere;
using RagFunctions.Hosting;
using RagFunctions.Retrieval.Embeddings;

namespace RagFunctions.LanguageModels;

/// <summary>The embeddings provider is one this app has, and Cohere's has its key.</summary>
internal sealed class EmbeddingsOptionsValidator(IOptions<CohereOptions> cohere) : IValidateOptions<EmbeddingsOptions>
{
    public ValidateOptionsResult Validate(string? name, EmbeddingsOptions options)
    {
        if (options.Provider is not (EmbeddingsOptions.Local or EmbeddingsOptions.Cohere))
        {
            return ValidateOptionsResult.Fail(
                $"{EnvironmentVariables.EmbeddingsProvider} must be '{EmbeddingsOptions.Local}' or '{EmbeddingsOptions.Cohere}', not '{options.Provider}'.");
        }

        return options.UsesCohere && !cohere.Value.IsConfigured
            ? ValidateOptionsResult.Fail(
                $"{EnvironmentVariables.EmbeddingsProvider}=cohere needs {EnvironmentVariables.CohereApiKey}; set the key or use {EnvironmentVariables.EmbeddingsProvider}=local.")
            : ValidateOptionsResult.Success;
    }
}
