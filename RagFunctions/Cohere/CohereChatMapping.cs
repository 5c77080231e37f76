using Microsoft.Extensions.AI;

namespace RagFunctions.Cohere;

/// <summary>Cohere's chat answers in Microsoft.Extensions.AI's terms: failures, citations, finish reasons and usage.</summary>
internal static class CohereChatMapping
{
    /// <summary><c>finish_reason</c> ERROR or TIMEOUT, or an <c>error</c>: Cohere gave up after answering 200.</summary>
    public static void ThrowIfFailed(CohereHttp http, string? finishReason, string? error)
    {
        var failed = finishReason is not null
            && (finishReason.Equals("ERROR", StringComparison.OrdinalIgnoreCase) || finishReason.Equals("TIMEOUT", StringComparison.OrdinalIgnoreCase));
        if (failed || !string.IsNullOrWhiteSpace(error))
        {
            var reason = failed ? finishReason!.ToUpperInvariant() : "ERROR";
            var detail = http.SafeDetail(error);
            throw http.Fail(new CohereException($"Cohere generation failed: {reason}{(detail is null ? "" : " (" + detail + ")")}"));
        }
    }

    /// <param name="shift">Where the cited content block starts in the answer.</param>
    /// <param name="length">The answer's length, when known (not while streaming).</param>
    public static CitationAnnotation? ToAnnotation(CohereCitation citation, int shift, int? length)
    {
        if (!citation.CitesAnswerText)
        {
            return null;
        }

        var documents = (citation.Sources ?? []).Where(s => s.IsDocument && s.DocumentId is not null).ToList();
        if (documents.Count == 0)
        {
            return null;
        }

        var first = documents[0];
        var annotation = new CitationAnnotation
        {
            FileId = first.DocumentId,
            Title = first.Field("title"),
            Url = Uri.TryCreate(first.Field("url"), UriKind.RelativeOrAbsolute, out var url) ? url : null,
            Snippet = first.Field("snippet"),
            RawRepresentation = citation,
            AdditionalProperties = new AdditionalPropertiesDictionary
            {
                [CohereChatClient.DocumentIdsKey] = documents.Select(d => d.DocumentId!).Distinct(StringComparer.Ordinal).ToArray(),
                [CohereChatClient.CitedTextKey] = citation.Text,
            },
        };

        if (citation.Start is { } start && citation.End is { } end && start >= 0 && end >= start && (length is null || end + shift <= length))
        {
            annotation.AnnotatedRegions = [new TextSpanAnnotatedRegion { StartIndex = start + shift, EndIndex = end + shift }];
        }

        return annotation;
    }

    public static ChatFinishReason? ToFinishReason(string? reason) => reason?.ToUpperInvariant() switch
    {
        null => null,
        "COMPLETE" or "STOP_SEQUENCE" => ChatFinishReason.Stop,
        "MAX_TOKENS" => ChatFinishReason.Length,
        "TOOL_CALL" => ChatFinishReason.ToolCalls,
        _ => new ChatFinishReason(reason.ToLowerInvariant()),
    };

    /// <summary>Real token counts (<c>usage.tokens</c>); billed units, when sent, as additional counts.</summary>
    public static UsageDetails? ToUsage(CohereUsage? usage)
    {
        if (usage is null)
        {
            return null;
        }

        var counts = usage.Tokens ?? usage.BilledUnits;
        var details = new UsageDetails
        {
            InputTokenCount = Count(counts?.InputTokens),
            OutputTokenCount = Count(counts?.OutputTokens),
            CachedInputTokenCount = Count(usage.CachedTokens),
        };
        if (details.InputTokenCount is not null || details.OutputTokenCount is not null)
        {
            details.TotalTokenCount = (details.InputTokenCount ?? 0) + (details.OutputTokenCount ?? 0);
        }

        if (usage.BilledUnits is { } billed)
        {
            details.AdditionalCounts = [];
            AddCount(details.AdditionalCounts, "billed_input_tokens", billed.InputTokens);
            AddCount(details.AdditionalCounts, "billed_output_tokens", billed.OutputTokens);
        }

        return details;

        static long? Count(double? value) => value is { } v && double.IsFinite(v) ? (long)Math.Round(v) : null;

        static void AddCount(AdditionalPropertiesDictionary<long> counts, string key, double? value)
        {
            if (Count(value) is { } count)
            {
                counts[key] = count;
            }
        }
    }
}
