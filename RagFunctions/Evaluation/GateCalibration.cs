using RagFunctions.Chat;

namespace RagFunctions.Evaluation;

/// <summary>A question's evidence signals and whether the book answers it: what the gate is fitted on.</summary>
internal sealed record GateSample(string Book, EvidenceSignals Signals, bool InScope);

/// <summary>
/// Fits the evidence gate's weights and threshold on question sets of several books: the weights (on a small grid)
/// and the threshold that make the fewest mistakes, counted per book (false refusals as a share of the book's
/// in-scope questions plus out-of-scope answers as a share of its out-of-scope ones, summed over the books, so each
/// book weighs the same however many questions it has); of equally good thresholds, the middle one.
/// Leave-one-book-out: fit on all books but one, and measure on that one, which the fit never saw.
/// </summary>
internal static class GateCalibration
{
    /// <summary>How much worse than the best error (per book) a fit may be and still count as as good.</summary>
    private const double Tolerance = 0.01;

    private static readonly double[] Steps = [0, 0.1, 0.2, 0.3, 0.4, 0.6, 0.8];

    public static (GateWeights Weights, double Threshold) Fit(IReadOnlyList<GateSample> samples)
    {
        var books = samples.GroupBy(s => s.Book).Select(g => g.ToArray()).ToArray();
        var fits = new List<(GateWeights Weights, double Threshold, double Error)>();
        foreach (var title in Steps)
        {
            foreach (var rare in Steps)
            {
                foreach (var name in Steps)
                {
                    var weights = new GateWeights(title, rare, name);
                    var (threshold, error) = BestThreshold(books, weights);
                    fits.Add((weights, threshold, error));
                }
            }
        }

        // Of the fits within a hair of the best (a question or so on one book), the lightest weights: the error is flat
        // across many weightings, and the simplest of them moves least from one set of books to another.
        var least = fits.Min(f => f.Error);
        var chosen = fits
            .Where(f => f.Error <= least + Tolerance * books.Length)
            .OrderBy(f => f.Weights.TitleWeight + f.Weights.RareCoverageWeight + f.Weights.UnknownNameWeight)
            .ThenBy(f => f.Error)
            .First();
        return (chosen.Weights, chosen.Threshold);
    }

    private static (double Threshold, double Error) BestThreshold(GateSample[][] books, GateWeights weights)
    {
        // Per book, the in-scope and the out-of-scope scores, sorted: a threshold's mistakes are two binary searches.
        var scored = books.Select(b => (
            In: b.Where(s => s.InScope).Select(s => s.Signals.ScoreWith(weights)).Order().ToArray(),
            Out: b.Where(s => !s.InScope).Select(s => s.Signals.ScoreWith(weights)).Order().ToArray())).ToArray();
        var candidates = scored.SelectMany(b => b.In.Concat(b.Out)).Distinct().Order().ToArray();
        double bestError = double.MaxValue;
        var bestFrom = 0;
        var bestTo = 0;
        for (var i = 0; i < candidates.Length; i++)
        {
            var error = scored.Sum(b => Below(b.In, candidates[i]) / (double)Math.Max(1, b.In.Length)
                                        + (b.Out.Length - Below(b.Out, candidates[i])) / (double)Math.Max(1, b.Out.Length));
            if (error < bestError - 1e-9)
            {
                (bestError, bestFrom, bestTo) = (error, i, i);
            }
            else if (Math.Abs(error - bestError) <= 1e-9 && bestTo == i - 1)
            {
                bestTo = i;
            }
        }

        // Every threshold above the score before the best run and up to its last score makes the same mistakes: the middle.
        var low = bestFrom > 0 ? candidates[bestFrom - 1] : candidates[bestFrom];
        var high = candidates[bestTo];
        return (Math.Round((low + high) / 2, 3), bestError);
    }

    /// <summary>How many of the sorted scores are under the threshold (refused).</summary>
    private static int Below(double[] sorted, double threshold)
    {
        var at = Array.BinarySearch(sorted, threshold);
        if (at < 0)
        {
            return ~at;
        }

        while (at > 0 && sorted[at - 1] >= threshold)
        {
            at--;
        }

        return at;
    }
}
