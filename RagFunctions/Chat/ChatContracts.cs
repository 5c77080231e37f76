using System.Text.Json.Serialization;

namespace RagFunctions.Chat;

/// <summary>
/// The body of <c>POST /chat</c> and <c>POST /stream-chat</c>. <c>message</c> and <c>query</c> are accepted as
/// aliases of <c>question</c> (other real frontends send those); unknown fields such as <c>agent_id</c> are ignored.
/// </summary>
internal sealed class ChatRequest
{
    public string? Question { get; set; }

    public string? Message { get; set; }

    public string? Query { get; set; }

    public string? SelectedText { get; set; }

    public string? PageUrl { get; set; }

    public IReadOnlyList<ChatTurn?>? History { get; set; }

    public int? TopK { get; set; }

    public string? Language { get; set; }

    /// <summary>
    /// Whether the answer carries <c>[n]</c> markers: <c>true</c> or <c>false</c> (default: on for <c>/chat</c>, off for
    /// <c>/stream-chat</c>). Read as any JSON value so that a wrong one is a validation error naming the field.
    /// </summary>
    public System.Text.Json.JsonElement? CitationMarkers { get; set; }
}

internal sealed record ChatTurn(string? Role, string? Content);

/// <summary>One cited passage of the book. <c>url</c> is absolute and carries the section's <c>#anchor</c>.</summary>
/// <param name="Chapter">The page title (client A renders "Ch. {chapter}, Sec. {section}, {url}").</param>
/// <param name="Section">The section heading.</param>
/// <param name="Title">"Chapter › Section".</param>
internal sealed record ChatSource(string Url, string Chapter, string Section, string Title, string Snippet, double Score);

/// <summary>An answer span that cites sources (indexes into <c>sources</c>, from 0).</summary>
internal sealed record ChatCitation(int Start, int End, string Text, IReadOnlyList<int> Sources);

internal static class AnswerModes
{
    public const string Generative = "generative";
    public const string Extractive = "extractive";
    public const string Refusal = "refusal";
}

/// <summary>What <c>/chat</c> returns, and what the final <c>/stream-chat</c> event carries as a JSON string.</summary>
internal sealed record ChatAnswer(
    string Answer,
    IReadOnlyList<ChatSource> Sources,
    string AnswerId,
    string Mode,
    bool Grounded,
    bool Degraded,
    IReadOnlyList<ChatCitation> Citations,
    IReadOnlyList<string> SuggestedQuestions,
    long LatencyMs)
{
    [JsonPropertyName("standalone_question")]
    public string? StandaloneQuestion { get; init; }

    /// <summary>
    /// The answer's direction, <c>rtl</c> (Urdu) or <c>ltr</c>, for a client that can set it on the answer's box. In a
    /// right-to-left answer, code, commands, paths and English runs are wrapped in Unicode directional isolates
    /// (U+2066 … U+2069), so they read left to right even in a box that does not use it.
    /// </summary>
    [JsonPropertyName("dir")]
    public string Dir { get; init; } = "ltr";

    /// <summary>A new <see cref="AnswerId"/>: every reader's answer has its own, for feedback to name.</summary>
    public static string NewId() => Guid.NewGuid().ToString("N");
}

/// <summary>A streamed token: <c>data: {"token": "...", "done": false}</c>.</summary>
internal sealed record StreamToken(string Token, bool Done = false);

/// <summary>The last event: <c>data: {"done": true, "response": "&lt;the /chat JSON as a string&gt;"}</c>.</summary>
internal sealed record StreamDone(string Response, bool Done = true);

/// <summary>A failure after the stream started: <c>data: {"error": "...", "done": true}</c>.</summary>
internal sealed record StreamError(string Error, bool Done = true);
