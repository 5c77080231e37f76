using System.Text.Json;
using System.Text.Json.Serialization;

namespace RagFunctions.Evaluation;

/// <summary>What a question asks for: the kinds a question file may name.</summary>
internal static class QuestionKinds
{
    public const string Factual = "factual";
    public const string Conceptual = "conceptual";
    public const string HowTo = "howto";
    public const string Comparison = "comparison";
    public const string Typo = "typo";
    public const string OutOfScope = "out_of_scope";

    public static readonly IReadOnlyList<string> All = [Factual, Conceptual, HowTo, Comparison, Typo, OutOfScope];
}

/// <summary>
/// One line of a question file. In scope: the page that answers it (its source path in the docs folder without the
/// extension, its URL path, or its URL), the heading it sits under ("" for the page's lead text), words a right answer
/// contains, and other pages that answer it as well. Out of scope: the book does not answer it.
/// </summary>
internal sealed record EvalQuestion(
    string Question,
    string Kind,
    string? Page,
    string Heading,
    IReadOnlyList<string> Keywords,
    IReadOnlyList<string> Also,
    bool NearMiss)
{
    public bool InScope => Kind != QuestionKinds.OutOfScope;
}

/// <summary>Reads a question file (JSON Lines); every mistake is reported with its line number.</summary>
internal static class QuestionFile
{
    public static IReadOnlyList<EvalQuestion> Read(string path) => Parse(File.ReadLines(path), path);

    public static IReadOnlyList<EvalQuestion> Parse(IEnumerable<string> lines, string name)
    {
        var questions = new List<EvalQuestion>();
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            QuestionLine? parsed;
            try
            {
                parsed = JsonSerializer.Deserialize(line, EvaluationJsonContext.Default.QuestionLine);
            }
            catch (JsonException ex)
            {
                throw new FormatException($"{name}:{number}: not a JSON object ({ex.Message})");
            }

            questions.Add(Validate(parsed, $"{name}:{number}"));
        }

        return questions.Count > 0 ? questions : throw new FormatException($"{name}: no questions");
    }

    private static EvalQuestion Validate(QuestionLine? line, string where)
    {
        if (line is null || string.IsNullOrWhiteSpace(line.Question))
        {
            throw new FormatException($"{where}: \"question\" must be a non-empty string");
        }

        var kind = line.Kind?.Trim().ToLowerInvariant() ?? (line.Page is null ? QuestionKinds.OutOfScope : QuestionKinds.Factual);
        if (!QuestionKinds.All.Contains(kind))
        {
            throw new FormatException($"{where}: \"kind\" must be one of {string.Join(", ", QuestionKinds.All)}");
        }

        if (kind != QuestionKinds.OutOfScope && string.IsNullOrWhiteSpace(line.Page))
        {
            throw new FormatException($"{where}: an in-scope question needs \"page\" (the page that answers it)");
        }

        return new EvalQuestion(
            line.Question.Trim(),
            kind,
            kind == QuestionKinds.OutOfScope ? null : line.Page!.Trim(),
            line.Heading?.Trim() ?? "",
            (line.Keywords ?? []).Where(k => !string.IsNullOrWhiteSpace(k)).ToArray(),
            (line.Also ?? []).Where(p => !string.IsNullOrWhiteSpace(p)).ToArray(),
            line.NearMiss ?? false);
    }
}

/// <summary>A question file's line as written.</summary>
internal sealed record QuestionLine
{
    [JsonPropertyName("question")]
    public string? Question { get; init; }

    [JsonPropertyName("kind")]
    public string? Kind { get; init; }

    [JsonPropertyName("page")]
    public string? Page { get; init; }

    [JsonPropertyName("heading")]
    public string? Heading { get; init; }

    [JsonPropertyName("keywords")]
    public string[]? Keywords { get; init; }

    [JsonPropertyName("also")]
    public string[]? Also { get; init; }

    [JsonPropertyName("near_miss")]
    public bool? NearMiss { get; init; }
}
