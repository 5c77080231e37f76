using RagFunctions.Chat;

namespace RagFunctions.Evaluation;

/// <summary>The figures of one group of questions (a kind, or all of them).</summary>
/// <param name="PageHit">Share of in-scope questions whose expected page is among the five retrieved sections.</param>
/// <param name="SectionHit">The same for the expected section.</param>
/// <param name="KeywordCoverage">Mean share of key words the answers say (a refusal says none), over questions with key words.</param>
/// <param name="Noisy">Share of the answers given (refusals aside) that carry noise.</param>
/// <param name="FalseRefusals">Share of in-scope questions refused.</param>
/// <param name="OutOfScopeRefused">Share of out-of-scope questions refused.</param>
internal sealed record EvalFigures(
    string Group,
    int Questions,
    int InScope,
    int OutOfScope,
    double? PageHit,
    double? SectionHit,
    double? KeywordCoverage,
    double? Noisy,
    double? FalseRefusals,
    double? OutOfScopeRefused,
    double P50Ms,
    double P95Ms);

/// <summary>The figures of an evaluation, per kind of question and overall.</summary>
internal static class EvalReport
{
    public const string Overall = "all";

    /// <param name="gate">Weights and threshold to judge refusals by instead of the pipeline's own (for calibration).</param>
    public static IReadOnlyList<EvalFigures> Summarize(IReadOnlyList<EvalRecord> records, (GateWeights Weights, double Threshold)? gate = null)
        => QuestionKinds.All
            .Select(kind => Figures(kind, records.Where(r => r.Question.Kind == kind).ToArray(), gate))
            .Where(f => f.Questions > 0)
            .Append(Figures(Overall, records, gate))
            .ToArray();

    public static EvalFigures Figures(string group, IReadOnlyList<EvalRecord> records, (GateWeights Weights, double Threshold)? gate = null)
    {
        var inScope = records.Where(r => r.Question.InScope).ToArray();
        var outOfScope = records.Where(r => !r.Question.InScope).ToArray();
        var withKeywords = inScope.Where(r => r.KeywordCoverage is not null).ToArray();
        var answered = records.Where(r => !r.RefusedUnder(gate)).ToArray();
        var latencies = records.Select(r => r.LatencyMs).Order().ToArray();
        return new EvalFigures(
            group,
            records.Count,
            inScope.Length,
            outOfScope.Length,
            Share(inScope, r => r.PageHit),
            Share(inScope, r => r.SectionHit),
            withKeywords.Length == 0 ? null : withKeywords.Average(r => r.RefusedUnder(gate) ? 0 : r.KeywordCoverage!.Value),
            Share(answered, r => r.Noise.Count > 0),
            Share(inScope, r => r.RefusedUnder(gate)),
            Share(outOfScope, r => r.RefusedUnder(gate)),
            Percentile(latencies, 0.50),
            Percentile(latencies, 0.95));
    }

    private static double? Share(IReadOnlyList<EvalRecord> records, Func<EvalRecord, bool> counts)
        => records.Count == 0 ? null : records.Count(counts) / (double)records.Count;

    /// <summary>The nearest-rank percentile of sorted values.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
        => sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
