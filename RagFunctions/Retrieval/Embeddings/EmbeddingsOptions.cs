using Microsoft.Extensions.Configuration;
using RagFunctions.Hosting;

namespace RagFunctions.Retrieval.Embeddings;

/// <summary><c>EMBEDDINGS_PROVIDER</c>: <c>local</c> (the bundled ONNX model, the default) or <c>cohere</c>.</summary>
internal sealed class EmbeddingsOptions
{
    public const string Local = "local";
    public const string Cohere = "cohere";

    [ConfigurationKeyName(EnvironmentVariables.EmbeddingsProvider)]
    public string Provider { get; set => field = OptionValues.Blank(value)?.ToLowerInvariant() ?? Local; } = Local;

    public bool UsesCohere => Provider == Cohere;
}
