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
    double LatencyMs);
