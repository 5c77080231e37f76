using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using RagFunctions.Retrieval;

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
        var state = new CohereStreamState(request.Model, http);
        await foreach (var sse in stream.ReadAllAsync(cancellationToken))
        {
            if (state.Apply(sse) is { } update)
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

        CohereChatMapping.ThrowIfFailed(http, response.FinishReason, error: null);

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
            .Select(c => CohereChatMapping.ToAnnotation(c, c.ContentIndex is { } index ? blockStarts.GetValueOrDefault(index) : 0, text.Length))
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
            FinishReason = CohereChatMapping.ToFinishReason(response.FinishReason),
            Usage = CohereChatMapping.ToUsage(response.Usage),
            RawRepresentation = response,
        };
    }
}
