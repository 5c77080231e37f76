using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using RagFunctions.LanguageModels;

namespace RagFunctions.Cohere;

/// <summary>
/// Cohere v2 chat (<c>POST /v2/chat</c>) as an <see cref="IChatClient"/>.
/// <list type="bullet">
/// <item>System messages (and <see cref="ChatOptions.Instructions"/>) become ONE system message, sent first; then user and assistant turns in order.</item>
/// <item><see cref="GroundingDocument"/>s from <see cref="ChatOptions.AdditionalProperties"/> go into Cohere's <c>documents</c> field as
/// <c>{"id", "data": {"title", "url", "snippet"}}</c>, never into the messages. Citations are ACCURATE for
/// <see cref="GetResponseAsync"/> and FAST for <see cref="GetStreamingResponseAsync"/>.</item>
/// <item><see cref="ChatOptions.ModelId"/> overrides <c>COHERE_CHAT_MODEL</c> (translation passes <c>COHERE_TRANSLATE_MODEL</c> this way).</item>
/// </list>
/// <para>
/// <b>Citations.</b> Each Cohere citation becomes a <see cref="CitationAnnotation"/> whose single
/// <see cref="TextSpanAnnotatedRegion"/> indexes the answer text (<see cref="ChatResponse.Text"/>, end exclusive).
/// <see cref="CitationAnnotation.FileId"/> is the first cited document id; <see cref="DocumentIdsKey"/> in its
/// <see cref="AIAnnotation.AdditionalProperties"/> holds every cited document id as a <c>string[]</c>;
/// <see cref="CitedTextKey"/> holds the answer text it covers. Title, URL and snippet come from the first cited document.
/// A full response carries them on its single <see cref="TextContent"/>. A stream yields each citation as an update whose
/// only content is an empty <see cref="TextContent"/> with that annotation, offsets still relative to the whole answer.
/// </para>
/// </summary>
internal sealed class CohereChatClient(CohereHttp http, IOptions<CohereOptions> options) : IChatClient
{
    public const string ProviderName = "cohere";
    public const string DocumentIdsKey = "document_ids";
    public const string CitedTextKey = "cited_text";

    private const string ChatPath = "v2/chat";

    private readonly ChatClientMetadata metadata = new(ProviderName, options.Value.BaseUri, options.Value.ChatModel);

    public async Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = CreateRequest(messages, options, stream: false);
        var response = await http.PostAsync(
            ChatPath, request, CohereJsonContext.Default.CohereChatRequest, CohereJsonContext.Default.CohereChatResponse, cancellationToken);
        return ToChatResponse(response, request.Model);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = CreateRequest(messages, options, stream: true);
        using var stream = await http.OpenStreamAsync(ChatPath, request, CohereJsonContext.Default.CohereChatRequest, cancellationToken);
        var state = new StreamState(request.Model);
        while (await stream.ReadAsync(cancellationToken) is { } sse)
        {
            if (Parse(sse) is not { } streamEvent)
            {
                continue;
            }

            if (state.Apply(streamEvent, http) is { } update)
            {
                yield return update;
            }

            if (state.Ended)
            {
                await stream.DrainAsync(cancellationToken);
                yield break;
            }
        }

        throw http.Fail(new CohereException("Cohere stream ended early"));
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
        => serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;

    public void Dispose()
    {
    }

    internal CohereChatRequest CreateRequest(IEnumerable<ChatMessage> messages, ChatOptions? chatOptions, bool stream)
    {
        var system = new List<string>();
        if (!string.IsNullOrWhiteSpace(chatOptions?.Instructions))
        {
            system.Add(chatOptions.Instructions);
        }

        var turns = new List<CohereMessage>();
        foreach (var message in messages)
        {
            var text = message.Text;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            if (message.Role == ChatRole.System)
            {
                system.Add(text);
            }
            else if (message.Role == ChatRole.User)
            {
                turns.Add(new CohereMessage("user", text));
            }
            else if (message.Role == ChatRole.Assistant)
            {
                turns.Add(new CohereMessage("assistant", text));
            }

            // Tool messages: this app declares no tools, so there are none to send.
        }

        if (system.Count > 0)
        {
            turns.Insert(0, new CohereMessage("system", string.Join("\n\n", system)));
        }

        var documents = GroundingDocument.From(chatOptions)
            .Select(d => new CohereDocument(d.Id, new CohereDocumentData(d.Title, d.Url, d.Text)))
            .ToArray();

        return new CohereChatRequest
        {
            Model = string.IsNullOrWhiteSpace(chatOptions?.ModelId) ? options.Value.ChatModel : chatOptions.ModelId,
            Messages = turns,
            Documents = documents.Length > 0 ? documents : null,
            CitationOptions = new CohereCitationOptions(stream ? CohereCitationOptions.Fast : CohereCitationOptions.Accurate),
            Temperature = chatOptions?.Temperature,
            MaxTokens = chatOptions?.MaxOutputTokens,
            P = chatOptions?.TopP,
            K = chatOptions?.TopK,
            Seed = chatOptions?.Seed,
            FrequencyPenalty = chatOptions?.FrequencyPenalty,
            PresencePenalty = chatOptions?.PresencePenalty,
            StopSequences = chatOptions?.StopSequences is { Count: > 0 } stops ? stops.Take(5).ToArray() : null,
            Stream = stream,
        };
    }

    private ChatResponse ToChatResponse(CohereChatResponse response, string model)
    {
        if (response.Message?.Content is not { } blocks)
        {
            throw http.Fail(new CohereException("Cohere returned malformed JSON"));
        }

        ThrowIfFailed(http, response.FinishReason, error: null);

        var answer = new StringBuilder();
        var blockStarts = new Dictionary<int, int>();
        for (var i = 0; i < blocks.Count; i++)
        {
            if (blocks[i].IsText)
            {
                blockStarts[i] = answer.Length;
                answer.Append(blocks[i].Text);
            }
        }

        var text = answer.ToString();
        var content = new TextContent(text);
        var annotations = (response.Message.Citations ?? [])
            .Select(c => ToAnnotation(c, c.ContentIndex is { } index ? blockStarts.GetValueOrDefault(index) : 0, text.Length))
            .OfType<AIAnnotation>()
            .ToList();
        if (annotations.Count > 0)
        {
            content.Annotations = annotations;
        }

        var message = new ChatMessage(ChatRole.Assistant, [content]) { MessageId = response.Id, RawRepresentation = response.Message };
        return new ChatResponse(message)
        {
            ResponseId = response.Id,
            ModelId = model,
            FinishReason = ToFinishReason(response.FinishReason),
            Usage = ToUsage(response.Usage),
            RawRepresentation = response,
        };
    }

    /// <summary><c>finish_reason</c> ERROR or TIMEOUT, or an <c>error</c>: Cohere gave up after answering 200.</summary>
    private static void ThrowIfFailed(CohereHttp http, string? finishReason, string? error)
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
    private static CitationAnnotation? ToAnnotation(CohereCitation citation, int shift, int? length)
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
                [DocumentIdsKey] = documents.Select(d => d.DocumentId!).Distinct(StringComparer.Ordinal).ToArray(),
                [CitedTextKey] = citation.Text,
            },
        };

        if (citation.Start is { } start && citation.End is { } end && start >= 0 && end >= start && (length is null || end + shift <= length))
        {
            annotation.AnnotatedRegions = [new TextSpanAnnotatedRegion { StartIndex = start + shift, EndIndex = end + shift }];
        }

        return annotation;
    }

    private static ChatFinishReason? ToFinishReason(string? reason) => reason?.ToUpperInvariant() switch
    {
        null => null,
        "COMPLETE" or "STOP_SEQUENCE" => ChatFinishReason.Stop,
        "MAX_TOKENS" => ChatFinishReason.Length,
        "TOOL_CALL" => ChatFinishReason.ToolCalls,
        _ => new ChatFinishReason(reason.ToLowerInvariant()),
    };

    /// <summary>Real token counts (<c>usage.tokens</c>); billed units, when sent, as additional counts.</summary>
    private static UsageDetails? ToUsage(CohereUsage? usage)
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

    private CohereStreamEvent? Parse(ServerSentEvent sse)
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
                streamEvent.Type ??= sse.Name;
            }

            return streamEvent;
        }
        catch (JsonException ex)
        {
            throw http.Fail(new CohereException(null, "Cohere returned malformed JSON", ex));
        }
    }

    /// <summary>What a stream has said so far, and the update (if any) each event becomes.</summary>
    private sealed class StreamState(string model)
    {
        private readonly HashSet<int> thinkingBlocks = [];
        private readonly Dictionary<int, int> blockStarts = [];
        private string? responseId;
        private int answerLength;

        public bool Ended { get; private set; }

        public ChatResponseUpdate? Apply(CohereStreamEvent streamEvent, CohereHttp http)
        {
            switch (streamEvent.Type)
            {
                case "message-start":
                    responseId = streamEvent.Id;
                    return null;

                case "content-start" when streamEvent.Index is { } index:
                    var started = ReadObject(streamEvent.Delta?.Message?.Content, CohereJsonContext.Default.CohereContentBlock, http);
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
                    var delta = ReadObject(streamEvent.Delta?.Message?.Content, CohereJsonContext.Default.CohereContentBlock, http);
                    if (delta?.Text is not { Length: > 0 } text || (streamEvent.Index is { } at && thinkingBlocks.Contains(at)))
                    {
                        return null; // thinking, or nothing
                    }

                    answerLength += text.Length;
                    return Update([new TextContent(text)]);

                case "citation-start":
                    var citation = ReadObject(streamEvent.Delta?.Message?.Citations, CohereJsonContext.Default.CohereCitation, http);
                    var shift = citation?.ContentIndex is { } block ? blockStarts.GetValueOrDefault(block) : 0;
                    return citation is not null && ToAnnotation(citation, shift, length: null) is { } annotation
                        ? Update([new TextContent(string.Empty) { Annotations = [annotation] }])
                        : null;

                case "message-end":
                    var end = streamEvent.Delta;
                    ThrowIfFailed(http, end?.FinishReason, end?.Error);
                    Ended = true;
                    var update = Update(ToUsage(end?.Usage) is { } usage ? [new UsageContent(usage)] : []);
                    update.FinishReason = ToFinishReason(end?.FinishReason);
                    return update;

                default:
                    return null; // content-end, citation-end, tool-*, debug and whatever comes next
            }
        }

        private ChatResponseUpdate Update(IList<AIContent> contents) => new(ChatRole.Assistant, contents)
        {
            ResponseId = responseId,
            MessageId = responseId,
            ModelId = model,
        };

        private static T? ReadObject<T>(JsonElement? element, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CohereHttp http)
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
}
