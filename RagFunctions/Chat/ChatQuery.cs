using RagFunctions.Hosting;

namespace RagFunctions.Chat;

/// <summary>A validated, normalised chat request: what the pipeline works from.</summary>
internal sealed record ChatQuery(
    string Question,
    string? SelectedText,
    string? PageUrl,
    IReadOnlyList<ChatTurn> History,
    int TopK,
    string? Language)
{
    /// <summary>Whether the answer text (tokens and <c>answer</c>) carries <c>[n]</c> markers.</summary>
    public bool CitationMarkers { get; init; } = true;
}

/// <summary>The request rules, with messages a caller can act on.</summary>
internal static class ChatRequestValidator
{
    public const int MaxQuestionLength = 2000;
    public const int MaxSelectedTextLength = 8000;
    public const int MaxHistoryTurns = 10;
    public const int MaxHistoryContentLength = 4000;
    public const int DefaultTopK = 5;
    public const int MaxTopK = 10;
    public const int MaxPageUrlLength = 2048;

    /// <param name="citationMarkers">The route's default for <c>citation_markers</c> when the request does not say.</param>
    public static Validated<ChatQuery> Validate(ChatRequest request, bool citationMarkers = true)
    {
        var errors = new Dictionary<string, string[]>();
        var question = Normalise(request.Question ?? request.Message ?? request.Query);
        if (question.Length == 0)
        {
            errors["question"] = ["Ask a question: 'question' (or 'message'/'query') must be a non-empty string."];
        }
        else if (question.Length > MaxQuestionLength)
        {
            errors["question"] = [$"The question is {question.Length} characters; the limit is {MaxQuestionLength}."];
        }

        var selected = request.SelectedText?.Trim();
        if (selected?.Length > MaxSelectedTextLength)
        {
            errors["selected_text"] = [$"The selected text is {selected.Length} characters; the limit is {MaxSelectedTextLength}."];
        }

        var pageUrl = request.PageUrl?.Trim();
        if (pageUrl?.Length > MaxPageUrlLength)
        {
            errors["page_url"] = [$"page_url is longer than {MaxPageUrlLength} characters."];
        }

        var history = new List<ChatTurn>();
        if (request.History is { } turns)
        {
            if (turns.Count > MaxHistoryTurns * 2)
            {
                errors["history"] = [$"history has {turns.Count} messages; send at most the last {MaxHistoryTurns * 2} ({MaxHistoryTurns} turns)."];
            }
            else
            {
                for (var i = 0; i < turns.Count; i++)
                {
                    var turn = turns[i];
                    if (turn is null || turn.Role is not ("user" or "assistant") || string.IsNullOrWhiteSpace(turn.Content))
                    {
                        errors["history"] = [$"history[{i}] must be {{\"role\": \"user\"|\"assistant\", \"content\": \"...\"}} with non-empty content."];
                        break;
                    }

                    if (turn.Content.Length > MaxHistoryContentLength)
                    {
                        errors["history"] = [$"history[{i}].content is longer than {MaxHistoryContentLength} characters."];
                        break;
                    }

                    history.Add(turn with { Content = Normalise(turn.Content) });
                }
            }
        }

        if (request.TopK is { } k && (k < 1 || k > MaxTopK))
        {
            errors["top_k"] = [$"top_k must be between 1 and {MaxTopK}."];
        }

        var language = request.Language?.Trim();
        if (language is { Length: > 0 } && (language.Length > 32 || !language.All(c => char.IsLetter(c) || c is ' ' or '-')))
        {
            errors["language"] = ["language must be a language name or code such as 'en' or 'urdu'."];
        }

        switch (request.CitationMarkers?.ValueKind)
        {
            case null or System.Text.Json.JsonValueKind.Null:
                break;
            case System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False:
                citationMarkers = request.CitationMarkers.Value.GetBoolean();
                break;
            default:
                errors["citation_markers"] = ["citation_markers must be true (the answer numbers its sources with [n] markers) or false (no markers)."];
                break;
        }

        if (errors.Count > 0)
        {
            return RequestProblem.Invalid(errors, "The chat request is not valid");
        }

        var query = new ChatQuery(
            question,
            string.IsNullOrWhiteSpace(selected) ? null : selected,
            string.IsNullOrWhiteSpace(pageUrl) ? null : pageUrl,
            history,
            request.TopK ?? DefaultTopK,
            string.IsNullOrWhiteSpace(language) ? null : language)
        {
            CitationMarkers = citationMarkers,
        };
        return query;
    }

    /// <summary>Trims, folds runs of white space and drops control and bidi-override characters.</summary>
    public static string Normalise(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        var builder = new System.Text.StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F' or '\uFEFF')
            {
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
