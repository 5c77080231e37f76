using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using RagFunctions.Retrieval.Embeddings;

namespace RagFunctions.Cohere;

/// <summary>
/// Cohere v2 embeddings (<c>POST /v2/embed</c>, float vectors) as an <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>.
/// <c>input_type</c> comes from <see cref="EmbeddingPurpose"/> (documents unless told otherwise). Inputs go in calls of at
/// most <see cref="MaxTextsPerCall"/> texts, one after another; the embeddings come back in input order.
/// </summary>
internal sealed class CohereEmbeddingGenerator(CohereHttp http, IOptions<CohereOptions> options) : IEmbeddingGenerator<string, Embedding<float>>
{
    public const int MaxTextsPerCall = 96;

    private const string EmbedPath = "v2/embed";

    private readonly string defaultModel = options.Value.EmbedModel;
    private readonly EmbeddingGeneratorMetadata metadata = new(
        CohereChatClient.ProviderName, options.Value.BaseUri, options.Value.EmbedModel, DimensionsOf(options.Value.EmbedModel));

    /// <summary>The vector size of a Cohere embedding model at its default output dimension; null when unknown.</summary>
    public static int? DimensionsOf(string model)
    {
        var name = model.Trim().ToLowerInvariant();
        return name switch
        {
            "embed-v4.0" => 1536,
            _ when name.EndsWith("-light-v3.0", StringComparison.Ordinal) => 384,
            _ when name.EndsWith("-v3.0", StringComparison.Ordinal) => 1024,
            _ => null,
        };
    }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var texts = values as IReadOnlyList<string> ?? values.ToArray();
        var model = string.IsNullOrWhiteSpace(options?.ModelId) ? defaultModel : options.ModelId;
        var inputType = options?.AdditionalProperties?.TryGetValue(EmbeddingPurpose.Key, out var purpose) == true
            && purpose is string { Length: > 0 } named ? named : EmbeddingPurpose.Document;

        var result = new GeneratedEmbeddings<Embedding<float>>(texts.Count);
        foreach (var batch in texts.Chunk(MaxTextsPerCall))
        {
            var request = new CohereEmbedRequest { Model = model, InputType = inputType, Texts = batch, OutputDimension = options?.Dimensions };
            var response = await http.PostAsync(
                EmbedPath, request, CohereJsonContext.Default.CohereEmbedRequest, CohereJsonContext.Default.CohereEmbedResponse, cancellationToken);
            if (response.Embeddings?.Float is not { } vectors || vectors.Count != batch.Length)
            {
                throw http.Fail(new CohereException("Cohere returned malformed JSON"));
            }

            foreach (var vector in vectors)
            {
                result.Add(new Embedding<float>(vector) { ModelId = model });
            }
        }

        return result;
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
        => serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;

    public void Dispose()
    {
    }
}
