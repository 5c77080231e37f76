using System.Text.Json.Serialization;

namespace RagFunctions.Evaluation;

/// <summary>The question file's lines and the answers file (<c>eval --out</c>), source-generated.</summary>
[JsonSourceGenerationOptions(WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(QuestionLine))]
[JsonSerializable(typeof(AnswerLine))]
internal sealed partial class EvaluationJsonContext : JsonSerializerContext;

/// <summary>One answer as <c>eval --out</c> writes it, for reading.</summary>
internal sealed record AnswerLine(
    string Question,
    string Kind,
    string Mode,
    string Answer,
    IReadOnlyList<string> Sources,
    IReadOnlyList<string> Retrieved,
    string? ExpectedPage,
    bool PageHit,
    bool SectionHit,
    double? KeywordCoverage,
    IReadOnlyList<string> Noise,
    double EvidenceScore,
    EvidenceLine Evidence,
    double LatencyMs);

/// <summary>
/// The evidence gate's signals behind <see cref="AnswerLine.EvidenceScore"/>, so that a book owner can see why a question was
/// refused or answered: the nearest section's similarity, the rarity-weighted share of the question's words in a top
/// section's headings and in its text, and whether it names something the book never mentions (1) or not (0).
/// </summary>
internal sealed record EvidenceLine(double Relevance, double Titled, double RareCoverage, double UnknownName);
