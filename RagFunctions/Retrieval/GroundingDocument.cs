using Microsoft.Extensions.AI;

namespace RagFunctions.Retrieval;

/// <summary>
/// Book text given to a language model as evidence, never as instructions. A chat client that has a
/// documents field (Cohere) sends these there; others receive them in a clearly delimited user message.
/// They travel in <see cref="ChatOptions.AdditionalProperties"/> under <see cref="OptionsKey"/>.
/// </summary>
/// <param name="Id">Stable id the model cites (e.g. "doc-1"); maps back to a source.</param>
internal sealed record GroundingDocument(string Id, string Title, string Url, string Text)
{
    public const string OptionsKey = "rag_documents";

    public static IReadOnlyList<GroundingDocument> From(ChatOptions? options)
        => options?.AdditionalProperties?.TryGetValue(OptionsKey, out var value) == true && value is IReadOnlyList<GroundingDocument> documents
            ? documents
            : [];

    public static ChatOptions Attach(ChatOptions options, IReadOnlyList<GroundingDocument> documents)
    {
        options.AdditionalProperties ??= [];
        options.AdditionalProperties[OptionsKey] = documents;
        return options;
    }
}
