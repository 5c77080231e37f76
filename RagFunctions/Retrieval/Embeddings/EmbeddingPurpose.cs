using Microsoft.Extensions.AI;

namespace RagFunctions.Retrieval.Embeddings;

/// <summary>
/// Queries and documents are embedded differently (Cohere's <c>input_type</c>, Arctic's query prefix).
/// The purpose travels in <see cref="EmbeddingGenerationOptions.AdditionalProperties"/> under <see cref="Key"/>.
/// </summary>
internal static class EmbeddingPurpose
{
    public const string Key = "input_type";
    public const string Query = "search_query";
    public const string Document = "search_document";

    public static bool IsQuery(EmbeddingGenerationOptions? options)
        => options?.AdditionalProperties?.TryGetValue(Key, out var value) == true && Query.Equals(value as string, StringComparison.Ordinal);

    public static async Task<ReadOnlyMemory<float>> EmbedQueryAsync(
        this IEmbeddingGenerator<string, Embedding<float>> generator, string query, CancellationToken cancellationToken)
    {
        var embeddings = await generator.GenerateAsync([query], For(Query), cancellationToken);
        return embeddings[0].Vector;
    }

    public static async Task<IReadOnlyList<ReadOnlyMemory<float>>> EmbedDocumentsAsync(
        this IEmbeddingGenerator<string, Embedding<float>> generator, IReadOnlyList<string> documents, CancellationToken cancellationToken)
    {
        if (documents.Count == 0)
        {
            return [];
        }

        var embeddings = await generator.GenerateAsync(documents, For(Document), cancellationToken);
        return embeddings.Select(e => e.Vector).ToArray();
    }

    private static EmbeddingGenerationOptions For(string purpose)
        => new() { AdditionalProperties = new AdditionalPropertiesDictionary { [Key] = purpose } };
}
