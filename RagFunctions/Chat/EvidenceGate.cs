using System.Text.RegularExpressions;
using RagFunctions.Retrieval.Text;
using RagFunctions.Retrieval.VectorStore;
using RagFunctions.Retrieval.Vocabulary;

namespace RagFunctions.Chat;

/// <summary>How strongly the book supports answering a question.</summary>
internal enum Evidence
{
    /// <summary>Refuse: the book does not cover this.</summary>
    None,

    /// <summary>Just below the threshold: a language model reads the sections and answers or says the book does not cover it.</summary>
    Borderline,

    /// <summary>Answer.</summary>
    Clear,
}

/// <summary>
/// Decides, before any language model is called, whether the book holds evidence for a question (its misspellings
/// corrected against the book first). The evidence score is the nearest section's cosine similarity, plus a bonus for
/// the share of the question's content words that one of the top sections contains, minus a penalty when it names
/// something the whole book never mentions: meaning alone does not separate "in the book" from "about something else"
/// for a small embedding model ("How do I write a ROS 2 node in Rust?" is close to the sections on writing
/// nodes), and words alone miss paraphrases.
/// </summary>
/// <remarks>
/// The weights and the threshold (<see cref="ChatPipelineOptions.LocalEvidenceThreshold"/>) are fitted together by
/// <c>GateCalibration</c> on the question sets of eight books, and reported on each book left out of the fitting.
/// </remarks>
internal static partial class EvidenceGate
{
    /// <summary>The weights in force: fitted leave-one-book-out on eight books (see README, "Answer quality").</summary>
    public static GateWeights Weights { get; } = new(TitleWeight: 0.1, RareCoverageWeight: 0.2, UnknownNameWeight: 0.2);

    /// <summary>What the book holds for the question, before any weighting.</summary>
    public static EvidenceSignals Measure(string question, IReadOnlyList<SearchHit> hits, SpellingCorrector vocabulary)
    {
        if (hits.Count == 0)
        {
            return EvidenceSignals.Nothing;
        }

        var top = hits.Take(3).ToArray();
        var relevance = top.Max(h => h.DenseScore ?? 0);
        var words = TextAnalyzer.ContentWords(question).Where(w => w.Length > 1).Distinct(StringComparer.Ordinal).ToArray();
        if (words.Length == 0)
        {
            return new EvidenceSignals(relevance, 0, 0, 0);
        }

        var stems = words.Select(TextAnalyzer.Stem).ToArray();
        var rarity = words.Select(w => Rarity(w, vocabulary)).ToArray();

        // A camelCase name is found as it is ("bracketSpacing: <bool>") or in words ("Bracket Spacing").
        var spelled = TextAnalyzer.CamelCaseNames(question).DistinctBy(n => n.Name)
            .ToDictionary(n => n.Name, n => TextAnalyzer.Terms(string.Join(' ', n.Parts)).ToArray(), StringComparer.Ordinal);
        bool Holds(HashSet<string> terms, int i)
            => terms.Contains(stems[i]) || spelled.TryGetValue(words[i], out var parts) && parts.Length > 1 && parts.All(terms.Contains);
        double Share(HashSet<string> terms) => stems.Select((_, i) => Holds(terms, i) ? rarity[i] : 0).Sum() / rarity.Sum();
        var rare = top.Max(h => Share(TextAnalyzer.Terms(h.Chunk.Text).ToHashSet(StringComparer.Ordinal)));
        var titled = top.Max(h => Share(TextAnalyzer.Terms(string.Join(' ', h.Chunk.TitlePath)).ToHashSet(StringComparer.Ordinal)));
        return new EvidenceSignals(relevance, titled, rare, UnknownName(question, hits, vocabulary));
    }

    /// <summary>
    /// 1 when the question names something the book never mentions — a capitalised word inside the sentence ("Zed",
    /// "Webots"), a name with digits ("ESP32") or a flag or file name ("--experimental-cli") — else 0: readers rarely ask
    /// a book about a thing by a name it never uses. Lower-case words are left out (a typo is one). A long flag is a name
    /// of its own, whatever its words: the book names it whole somewhere (a small section merged into another's chunk,
    /// such as "--bail" on a CLI page, may not be among the sections found), or it does not document it.
    /// </summary>
    private static double UnknownName(string question, IReadOnlyList<SearchHit> hits, SpellingCorrector vocabulary)
    {
        if (vocabulary.Words == 0)
        {
            return 0;
        }

        var first = true;
        foreach (Match token in NameToken().Matches(question))
        {
            var text = token.Value;
            var nameLike = (!first && text.Skip(1).Any(char.IsUpper)) || (!first && char.IsUpper(text[0]))
                           || text.Any(char.IsDigit) && text.Any(char.IsLetter) || text.StartsWith('-') || text.TrimEnd('.').Contains('.') || text.Contains('_');
            first = false;
            if (nameLike && TextAnalyzer.Words(text).Where(w => w.Length > 1 && w.Any(char.IsLetter)).Any(w => !vocabulary.Knows(w))
                || text.StartsWith("--", StringComparison.Ordinal) && !vocabulary.NamesFlag(text.TrimEnd('.'))
                   && !hits.Any(h => h.Chunk.Text.Contains(text.TrimEnd('.'), StringComparison.OrdinalIgnoreCase)))
            {
                return 1;
            }
        }

        return 0;
    }

    [GeneratedRegex(@"-{0,2}[\p{L}\p{N}][\p{L}\p{N}_.\-+#]*")]
    private static partial Regex NameToken();

    /// <param name="withModel">A language model can read the sections and decide when the score is borderline.</param>
    public static Evidence Judge(double score, ChatPipelineOptions settings, bool withModel)
        => score >= settings.EvidenceThreshold ? Evidence.Clear
            : withModel && score >= settings.EvidenceThreshold - settings.BorderlineMargin ? Evidence.Borderline
            : Evidence.None;

    public static double Coverage(IReadOnlySet<string> terms, string text)
    {
        var present = TextAnalyzer.Terms(text).ToHashSet(StringComparer.Ordinal);
        return terms.Count(present.Contains) / (double)terms.Count;
    }

    /// <summary>
    /// How much a word says about where the answer is: a word the book uses everywhere ("robot" in a robotics book)
    /// little, a word it uses a few times much, a word it never uses most.
    /// </summary>
    private static double Rarity(string word, SpellingCorrector vocabulary)
        => vocabulary.Words == 0 ? 1 : Math.Log(1 + 1000.0 / (1 + vocabulary.Count(word)));
}

/// <summary>The weights of the evidence score's signals.</summary>
internal sealed record GateWeights(double TitleWeight, double RareCoverageWeight, double UnknownNameWeight);

/// <summary>
/// The evidence gate's signals for one question: the nearest section's cosine similarity; the share of the question's
/// content words, weighted by how rare each word is in the book, that the title path (page title and headings) of one of
/// the top three sections holds, and that one of their texts holds; and whether it names something the book never mentions.
/// </summary>
internal sealed record EvidenceSignals(double Relevance, double Titled, double RareCoverage, double UnknownName)
{
    public static EvidenceSignals Nothing { get; } = new(0, 0, 0, 0);

    /// <summary>The evidence score under the weights in force.</summary>
    public double Score => ScoreWith(EvidenceGate.Weights);

    public double ScoreWith(GateWeights weights) => Relevance == 0 && RareCoverage == 0
        ? 0
        : Relevance + weights.TitleWeight * Titled + weights.RareCoverageWeight * RareCoverage - weights.UnknownNameWeight * UnknownName;
}
