using System.Globalization;
using RagFunctions.Chat;
using RagFunctions.Evaluation;

namespace RagFunctions.Tests.Quality;

/// <summary>
/// Answer quality in the embedded default (no key), measured as a new user's book would be: the evidence gate is
/// fitted on every book but one, and the figures are those of the book left out, which the fit never saw.
/// </summary>
public sealed class AnswerQualityTests
{
    public static TheoryData<string> Books => [.. QuestionSet.Books];

    [Theory]
    [MemberData(nameof(Books))]
    public async Task EveryBook_LeftOutOfTheFit_IsAnsweredWell(string book)
    {
        var (records, gate) = await LeftOutAsync(book);
        var all = EvalReport.Figures(EvalReport.Overall, records, gate);
        var summary = Describe(book, gate, EvalReport.Summarize(records, gate), records);
        TestContext.Current.TestOutputHelper?.WriteLine(summary);

        // Floors under what every book reaches today (README, "Answer quality"): out-of-scope refused meets its target (0.85)
        // on every book; key words (0.85) and false refusals (0.05, one book at 0.056) are not met everywhere yet, and
        // these floors keep what is.
        Assert.True(all.PageHit >= 0.90, summary);
        Assert.True(all.SectionHit >= 0.85, summary);
        Assert.True(all.KeywordCoverage >= 0.75, summary);
        Assert.True(all.Noisy <= 0.05, summary);
        Assert.True(all.FalseRefusals <= 0.06, summary);
        Assert.True(all.OutOfScopeRefused >= 0.85, summary);
    }

    [Fact]
    public async Task TheShippedGate_IsTheFitOnEveryBook()
    {
        var samples = new List<GateSample>();
        foreach (var book in QuestionSet.Books)
        {
            samples.AddRange((await BookAnswers.ForAsync(book)).Select(r => new GateSample(book, r.Signals, r.Question.InScope)));
        }

        var (weights, threshold) = GateCalibration.Fit(samples);
        TestContext.Current.TestOutputHelper?.WriteLine($"fitted on all books: {weights}, threshold {threshold:F3}");
        Assert.Equal(EvidenceGate.Weights, weights);
        Assert.Equal(ChatPipelineOptions.LocalEvidenceThreshold, threshold, 3);
    }

    private static async Task<(IReadOnlyList<EvalRecord> Records, (GateWeights, double) Gate)> LeftOutAsync(string book)
    {
        var samples = new List<GateSample>();
        foreach (var other in QuestionSet.Books.Where(b => b != book))
        {
            samples.AddRange((await BookAnswers.ForAsync(other)).Select(r => new GateSample(other, r.Signals, r.Question.InScope)));
        }

        return (await BookAnswers.ForAsync(book), GateCalibration.Fit(samples));
    }

    private static string Describe(string book, (GateWeights Weights, double Threshold) gate, IReadOnlyList<EvalFigures> figures, IReadOnlyList<EvalRecord> records)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{book}, left out of the fit ({gate.Weights}, threshold {gate.Threshold:F3}):");
        text.AppendLine("kind | n | page hit@5 | section hit@5 | key words | noisy | false refusals | out-of-scope refused | p50 ms | p95 ms");
        foreach (var f in figures)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{f.Group} | {f.Questions} | {f.PageHit:P1} | {f.SectionHit:P1} | {f.KeywordCoverage:P1} | {f.Noisy:P1} | {f.FalseRefusals:P1} | {f.OutOfScopeRefused:P1} | {f.P50Ms:F0} | {f.P95Ms:F0}");
        }

        foreach (var r in records)
        {
            var refused = r.RefusedUnder(gate);
            var problem = r.Question.InScope
                ? (refused ? "REFUSED" : "") + (r.PageHit ? "" : " NO PAGE") + (r.SectionHit ? "" : " NO SECTION") + (r.KeywordCoverage < 1 && !refused ? $" KEYWORDS {r.KeywordCoverage:P0}" : "")
                : refused ? "" : "ANSWERED";
            problem += r.Noise.Count > 0 && !refused ? " NOISE " + string.Join(",", r.Noise) : "";
            if (problem.Trim().Length > 0)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"{problem.Trim()} ({r.Signals.ScoreWith(gate.Weights):F3}) {r.Question.Kind}: {r.Question.Question} → {r.Answer.Answer.Replace('\n', '⏎')}");
            }
        }

        return text.ToString();
    }
}
