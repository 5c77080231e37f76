using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;

namespace RagFunctions.Cohere;

/// <summary>What a stream has said so far, and the update (if any) each event becomes.</summary>
internal sealed class CohereStreamState(string model, CohereHttp http)
{
    private readonly HashSet<int> thinkingBlocks = [];
    private readonly Dictionary<int, int> blockStarts = [];
    private string? responseId;
    private int answerLength;

    public bool Ended { get; private set; }

    public ChatResponseUpdate? Apply(SseItem<string> sse)
    {
        if (Parse(sse) is not { } streamEvent)
        {
            return null;
        }

        switch (streamEvent.Type)
        {
            case "message-start":
                responseId = streamEvent.Id;
                return null;

            case "content-start" when streamEvent.Index is { } index:
                var started = ReadObject(streamEvent.Delta?.Message?.Content, CohereJsonContext.Default.CohereContentBlock);
                if (started?.Type?.Equals(CohereContentBlock.ThinkingType, StringComparison.OrdinalIgnoreCase) == true)
                {
                    thinkingBlocks.Add(index);
                }
                else
                {
                    blockStarts[index] = answerLength;
                }

                return null;

            case "content-delta":
                var delta = ReadObject(streamEvent.Delta?.Message?.Content, CohereJsonContext.Default.CohereContentBlock);
                if (delta?.Text is not { Length: > 0 } text || (streamEvent.Index is { } at && thinkingBlocks.Contains(at)))
                {
                    return null; // thinking, or nothing
                }

                answerLength += text.Length;
                return Update([new TextContent(text)]);

            case "citation-start":
                var citation = ReadObject(streamEvent.Delta?.Message?.Citations, CohereJsonContext.Default.CohereCitation);
                var shift = citation?.ContentIndex is { } block ? blockStarts.GetValueOrDefault(block) : 0;
                return citation is not null && CohereChatMapping.ToAnnotation(citation, shift, length: null) is { } annotation
                    ? Update([new TextContent(string.Empty) { Annotations = [annotation] }])
                    : null;

            case "message-end":
                var end = streamEvent.Delta;
                CohereChatMapping.ThrowIfFailed(http, end?.FinishReason, end?.Error);
                Ended = true;
                var update = Update(CohereChatMapping.ToUsage(end?.Usage) is { } usage ? [new UsageContent(usage)] : []);
                update.FinishReason = CohereChatMapping.ToFinishReason(end?.FinishReason);
                return update;

            default:
                return null; // content-end, citation-end, tool-*, debug and whatever comes next
        }
    }

    private CohereStreamEvent? Parse(SseItem<string> sse)
    {
        var data = sse.Data.Trim();
        if (data.Length == 0 || data == "[DONE]")
        {
            return null;
        }

        try
        {
            var streamEvent = JsonSerializer.Deserialize(data, CohereJsonContext.Default.CohereStreamEvent);
            if (streamEvent is not null)
            {
                streamEvent.Type ??= sse.EventType;
            }

            return streamEvent;
        }
        catch (JsonException ex)
        {
            throw http.Fail(new CohereException(null, "Cohere returned malformed JSON", ex));
        }
    }

    private ChatResponseUpdate Update(IList<AIContent> contents) => new(ChatRole.Assistant, contents)
    {
        ResponseId = responseId,
        MessageId = responseId,
        ModelId = model,
    };

    private T? ReadObject<T>(JsonElement? element, JsonTypeInfo<T> type)
        where T : class
    {
        if (element is not { ValueKind: JsonValueKind.Object } value)
        {
            return null;
        }

        try
        {
            return value.Deserialize(type);
        }
        catch (JsonException ex)
        {
            throw http.Fail(new CohereException(null, "Cohere returned malformed JSON", ex));
        }
    }
}
