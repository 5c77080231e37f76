using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using RagFunctions.Retrieval.Text;

namespace RagFunctions.Tests.Fakes;

/// <summary>
/// A fast, deterministic stand-in for an embedding model: each content word adds a hash-seeded pseudo-random
/// direction, and the sum is normalised. Texts sharing words are close; identical texts are identical.
/// For tests of the pipeline (counts, incremental updates), not of retrieval quality.
/// </summary>
internal sealed class HashEmbeddings(string model = "hash-embeddings", int dimensions = 64) : IEmbeddingGenerator<string, Embedding<float>>
{
    private int texts;

    /// <summary>How many texts were embedded as documents (queries not counted).</summary>
    public int DocumentTexts => texts;

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = new GeneratedEmbeddings<Embedding<float>>();
        foreach (var value in values)
        {
            if (!RagFunctions.Retrieval.Embeddings.EmbeddingPurpose.IsQuery(options))
            {
                Interlocked.Increment(ref texts);
            }

            result.Add(new Embedding<float>(Vector(value)) { ModelId = model });
        }

        return Task.FromResult(result);
    }

    public float[] Vector(string text)
    {
        var vector = new float[dimensions];
        foreach (var term in TextAnalyzer.Terms(text))
        {
            var random = new Random(StableHash(term));
            for (var i = 0; i < vector.Length; i++)
            {
                vector[i] += (float)(random.NextDouble() - 0.5);
            }
        }

        var norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, vector);
        }
        else
        {
            vector[0] = 1;
        }

        return vector;
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
        => serviceType == typeof(EmbeddingGeneratorMetadata) ? new EmbeddingGeneratorMetadata("test", null, model, dimensions) : null;

    public void Dispose()
    {
    }

    private static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }
}
