namespace RagFunctions.Cohere;

/// <summary>
/// The cheapest Cohere call that needs the key: embedding one short text (no chat quota). Its outcome is recorded by
/// <see cref="CohereCallRecorder"/> like any call's, and given back.
/// </summary>
internal sealed class CohereProbe(CohereHttp http, CohereCallRecorder recorder)
{
    public async Task<CallOutcome?> ProbeAsync(CancellationToken cancellationToken)
    {
        var request = new CohereEmbedRequest { Model = http.Options.EmbedModel, InputType = "search_query", Texts = ["health"] };
        try
        {
            await http.PostAsync("v2/embed", request, CohereJsonContext.Default.CohereEmbedRequest, CohereJsonContext.Default.CohereEmbedResponse, cancellationToken);
        }
        catch (CohereException)
        {
            // Logged by CohereHttp and recorded by the recorder.
        }

        return recorder.Last;
    }
}
