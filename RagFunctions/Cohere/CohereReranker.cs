using Microsoft.Extensions.Options;

namespace RagFunctions.Cohere;

/// <summary>One reranked document: its position in the list given to <see cref="CohereReranker.RerankAsync"/>, and its relevance in [0, 1].</summary>
internal readonly record struct RerankResult(int Index, double Score);

/// <summary>
/// Cohere v2 rerank (<c>POST /v2/rerank</c>) with <c>COHERE_RERANK_MODEL</c>. Registered only when that model and a key are set.
/// </summary>
internal sealed class CohereReranker(CohereHttp http, IOptions<CohereOptions> options)
{
    private const string RerankPath = "v2/rerank";

    public string Model => options.Value.RerankModel
        ?? throw new InvalidOperationException("The Cohere reranker needs COHERE_RERANK_MODEL.");

    /// <summary>The <paramref name="topN"/> most relevant of <paramref name="documents"/>, most relevant first.</summary>
    public async Task<IReadOnlyList<RerankResult>> RerankAsync(
        string query, IReadOnlyList<string> documents, int topN, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        if (documents.Count == 0 || topN <= 0)
        {
            return [];
        }

        var request = new CohereRerankRequest { Model = Model, Query = query, Documents = documents, TopN = Math.Min(topN, documents.Count) };
        var response = await http.PostAsync(
            RerankPath, request, CohereJsonContext.Default.CohereRerankRequest, CohereJsonContext.Default.CohereRerankResponse, cancellationToken);
        if (response.Results is not { } results)
        {
            throw http.Fail(new CohereException("Cohere returned malformed JSON"));
        }

        return results
            .Where(r => r.Index >= 0 && r.Index < documents.Count)
            .Select(r => new RerankResult(r.Index, Math.Clamp(r.RelevanceScore, 0, 1)))
            .OrderByDescending(r => r.Score)
            .ThenBy(r => r.Index)
            .Take(request.TopN.Value)
            .ToArray();
    }
}
