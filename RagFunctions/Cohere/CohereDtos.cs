using System.Text.Json;
using System.Text.Json.Serialization;

namespace RagFunctions.Cohere;

// Cohere v2 wire shapes. Only the fields this app sends or reads; unknown fields are ignored when reading.

internal sealed class CohereChatRequest
{
    [JsonPropertyName("model")]
    public required string Model { get; init; }

    [JsonPropertyName("messages")]
    public required IReadOnlyList<CohereMessage> Messages { get; init; }

    [JsonPropertyName("documents")]
    public IReadOnlyList<CohereDocument>? Documents { get; init; }

    [JsonPropertyName("citation_options")]
    public CohereCitationOptions? CitationOptions { get; init; }

    [JsonPropertyName("temperature")]
    public float? Temperature { get; init; }

    [JsonPropertyName("max_tokens")]
    public int? MaxTokens { get; init; }

    [JsonPropertyName("p")]
    public float? P { get; init; }

    [JsonPropertyName("k")]
    public int? K { get; init; }

    [JsonPropertyName("seed")]
    public long? Seed { get; init; }

    [JsonPropertyName("frequency_penalty")]
    public float? FrequencyPenalty { get; init; }

    [JsonPropertyName("presence_penalty")]
    public float? PresencePenalty { get; init; }

    [JsonPropertyName("stop_sequences")]
    public IReadOnlyList<string>? StopSequences { get; init; }

    [JsonPropertyName("stream")]
    public bool Stream { get; init; }
}

internal sealed record CohereMessage(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("content")] string Content);

internal sealed record CohereDocument(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("data")] CohereDocumentData Data);

internal sealed record CohereDocumentData(
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("snippet")] string Snippet);

internal sealed record CohereCitationOptions([property: JsonPropertyName("mode")] string Mode)
{
    public const string Accurate = "ACCURATE";
    public const string Fast = "FAST";
}

internal sealed class CohereChatResponse
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("finish_reason")]
    public string? FinishReason { get; init; }

    [JsonPropertyName("message")]
    public CohereResponseMessage? Message { get; init; }

    [JsonPropertyName("usage")]
    public CohereUsage? Usage { get; init; }
}

internal sealed class CohereResponseMessage
{
    [JsonPropertyName("role")]
    public string? Role { get; init; }

    [JsonPropertyName("content")]
    public List<CohereContentBlock>? Content { get; init; }

    [JsonPropertyName("citations")]
    public List<CohereCitation>? Citations { get; init; }
}

internal sealed class CohereContentBlock
{
    public const string TextType = "text";
    public const string ThinkingType = "thinking";

    [JsonPropertyName("type")]
    public string? Type { get; init; }

    [JsonPropertyName("text")]
    public string? Text { get; init; }

    [JsonPropertyName("thinking")]
    public string? Thinking { get; init; }

    /// <summary>Text blocks; a block without a type but with text counts as text.</summary>
    public bool IsText => Type is null ? Text is not null : Type.Equals(TextType, StringComparison.OrdinalIgnoreCase);
}

internal sealed class CohereCitation
{
    [JsonPropertyName("start")]
    public int? Start { get; init; }

    [JsonPropertyName("end")]
    public int? End { get; init; }

    [JsonPropertyName("text")]
    public string? Text { get; init; }

    /// <summary><c>TEXT_CONTENT</c>, <c>THINKING_CONTENT</c> or <c>PLAN</c>.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; init; }

    [JsonPropertyName("content_index")]
    public int? ContentIndex { get; init; }

    [JsonPropertyName("sources")]
    public List<CohereSource>? Sources { get; init; }

    public bool CitesAnswerText => Type is null || Type.Equals("TEXT_CONTENT", StringComparison.OrdinalIgnoreCase);
}

internal sealed class CohereSource
{
    [JsonPropertyName("type")]
    public string? Type { get; init; }

    [JsonPropertyName("id")]
    public string? Id { get; init; }

    /// <summary>The request document's <c>data</c> plus its <c>id</c>.</summary>
    [JsonPropertyName("document")]
    public Dictionary<string, JsonElement>? Document { get; init; }

    public bool IsDocument => Type is null ? Document is not null : Type.Equals("document", StringComparison.OrdinalIgnoreCase);

    public string? DocumentId => Id ?? Field("id");

    public string? Field(string name)
        => Document?.TryGetValue(name, out var value) == true && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

internal sealed class CohereUsage
{
    [JsonPropertyName("billed_units")]
    public CohereTokenCounts? BilledUnits { get; init; }

    /// <summary>Real counts, including Cohere's hidden preamble: the ones this app reports.</summary>
    [JsonPropertyName("tokens")]
    public CohereTokenCounts? Tokens { get; init; }

    [JsonPropertyName("cached_tokens")]
    public double? CachedTokens { get; init; }
}

internal sealed class CohereTokenCounts
{
    // Doubles: Cohere sometimes sends counts as 18.0.
    [JsonPropertyName("input_tokens")]
    public double? InputTokens { get; init; }

    [JsonPropertyName("output_tokens")]
    public double? OutputTokens { get; init; }
}

/// <summary>One server-sent event of a chat stream; <c>type</c> repeats the SSE event name.</summary>
internal sealed class CohereStreamEvent
{
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("index")]
    public int? Index { get; init; }

    [JsonPropertyName("delta")]
    public CohereStreamDelta? Delta { get; init; }
}

internal sealed class CohereStreamDelta
{
    [JsonPropertyName("message")]
    public CohereStreamMessage? Message { get; init; }

    [JsonPropertyName("finish_reason")]
    public string? FinishReason { get; init; }

    [JsonPropertyName("usage")]
    public CohereUsage? Usage { get; init; }

    [JsonPropertyName("error")]
    public string? Error { get; init; }
}

internal sealed class CohereStreamMessage
{
    [JsonPropertyName("role")]
    public string? Role { get; init; }

    /// <summary>An object in content events; an (empty) array in <c>message-start</c>.</summary>
    [JsonPropertyName("content")]
    public JsonElement? Content { get; init; }

    /// <summary>ONE citation object in <c>citation-start</c>; an (empty) array in <c>message-start</c>.</summary>
    [JsonPropertyName("citations")]
    public JsonElement? Citations { get; init; }
}

internal sealed class CohereEmbedRequest
{
    [JsonPropertyName("model")]
    public required string Model { get; init; }

    [JsonPropertyName("input_type")]
    public required string InputType { get; init; }

    [JsonPropertyName("texts")]
    public required IReadOnlyList<string> Texts { get; init; }

    [JsonPropertyName("embedding_types")]
    public IReadOnlyList<string> EmbeddingTypes { get; init; } = ["float"];

    [JsonPropertyName("output_dimension")]
    public int? OutputDimension { get; init; }
}

internal sealed class CohereEmbedResponse
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("embeddings")]
    public CohereEmbeddingsByType? Embeddings { get; init; }
}

internal sealed class CohereEmbeddingsByType
{
    [JsonPropertyName("float")]
    public List<float[]>? Float { get; init; }
}

/// <summary>Cohere's error body: <c>{"id": "...", "message": "invalid request: ..."}</c>.</summary>
internal sealed class CohereErrorBody
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("message")]
    public string? Message { get; init; }
}
