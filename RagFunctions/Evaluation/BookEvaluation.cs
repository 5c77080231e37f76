using System.Diagnostics;
using RagFunctions.Chat;
using RagFunctions.Ingestion;
using RagFunctions.Retrieval.Text;
using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Evaluation;

/// <summary>One question asked, and how the answer measured up.</summary>
internal sealed record EvalRecord(
    EvalQuestion Question,
    ChatAnswer Answer,
    IReadOnlyList<string> Retrieved,
    string? ExpectedPage,
    bool PageHit,
    bool SectionHit,
    double? KeywordCoverage,
    IReadOnlyList<string> Noise,
    EvidenceSignals Signals,
    double LatencyMs)
{
    public bool Refused => Answer.Mode == AnswerModes.Refusal;

    /// <summary>Refused by the pipeline, or (with <paramref name="gate"/>) scored under its threshold.</summary>
    public bool RefusedUnder((GateWeights Weights, double Threshold)? gate)
        => Refused || gate is { } g && Signals.ScoreWith(g.Weights) < g.Threshold;
}

/// <summary>
/// Asks a question set through the same pipeline as <c>/chat</c> (<see cref="ChatService"/>: rewrite, retrieval, the
/// evidence gate, the answer) and measures each answer against what the question file expects: is the expected page
/// and section among the five retrieved sections, which of the key words the answer says (whole words), is it noise,
/// and how long it took.
/// </summary>
internal sealed class BookEvaluation(ChatService chat, IVectorStore store)
{
    private const int HitsConsidered = 5;

    /// <param name="pages">The book as read from its folder, to find expected pages by source path; null to go by URL.</param>
    public async Task<IReadOnlyList<EvalRecord>> RunAsync(
        IReadOnlyList<EvalQuestion> questions, IReadOnlyList<BookPage>? pages, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var expected = new ExpectedPages(pages, await store.GetPageUrlsAsync(cancellationToken));
        var unknown = questions.Where(q => q.InScope).SelectMany(q => q.Also.Prepend(q.Page!)).Where(p => expected.Resolve(p) is null).Distinct().ToArray();
        if (unknown.Length > 0)
        {
            throw new FormatException($"These expected pages are not in the index: {string.Join(", ", unknown)}");
        }

        var outlines = new Dictionary<string, IReadOnlyList<BookChunk>>(StringComparer.Ordinal);
        var records = new List<EvalRecord>();
        foreach (var question in questions)
        {
            var watch = Stopwatch.StartNew();
            var (query, problem) = ChatRequestValidator.Validate(new ChatRequest { Question = question.Question });
            if (query is null)
            {
                throw new FormatException($"\"{question.Question}\": {problem!.Message}");
            }

            var prepared = await chat.PrepareAsync(query, cancellationToken);
            var answer = await chat.AnswerAsync(prepared, cancellationToken);
            var latency = watch.Elapsed.TotalMilliseconds;
            var retrieved = prepared.Hits.Take(HitsConsidered).Select(h => h.Chunk).ToArray();

            string? page = null;
            bool pageHit = false, sectionHit = false;
            double? keywords = null;
            if (question.InScope)
            {
                page = expected.Resolve(question.Page!)!;
                var also = question.Also.Select(p => expected.Resolve(p)!).ToHashSet(StringComparer.Ordinal);
                if (!outlines.TryGetValue(page, out var chunks))
                {
                    outlines[page] = chunks = await store.GetPageAsync(page, cancellationToken);
                }

                var sections = chunks.Where(c => HeadingMatches(c, question.Heading)).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
                pageHit = retrieved.Any(c => c.PageUrl == page || also.Contains(c.PageUrl));
                sectionHit = retrieved.Any(c => sections.Contains(c.Id) || also.Contains(c.PageUrl));
                keywords = question.Keywords.Count == 0 ? null : answer.Mode == AnswerModes.Refusal ? 0 : KeywordCoverage(answer.Answer, question.Keywords);
            }

            var noise = answer.Mode == AnswerModes.Refusal ? [] : NoisyAnswer.Reasons(answer.Answer);
            records.Add(new EvalRecord(question, answer, retrieved.Select(c => c.Url).ToArray(), page, pageHit, sectionHit, keywords, noise, prepared.Signals, latency));
            progress?.Report(records.Count);
        }

        return records;
    }

    /// <summary>
    /// The share of the key words the answer says, each as whole words (case, accents and punctuation aside); its
    /// citation markers are not words it says (a key word "1" is not found in "[1]").
    /// </summary>
    public static double KeywordCoverage(string answer, IReadOnlyList<string> keywords)
    {
        var words = TextAnalyzer.Words(CitationMarkers.Unmarked(answer)).ToArray();
        return keywords.Count(k => ContainsRun(words, TextAnalyzer.Words(k).ToArray())) / (double)keywords.Count;
    }

    private static bool ContainsRun(string[] words, string[] run)
    {
        if (run.Length == 0)
        {
            return false;
        }

        for (var i = 0; i + run.Length <= words.Length; i++)
        {
            if (words.AsSpan(i, run.Length).SequenceEqual(run))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The chunk is the expected section: its heading, or a heading above it (a subsection counts), or one merged
    /// into it; "" is the page's lead text.
    /// </summary>
    private static bool HeadingMatches(BookChunk chunk, string heading)
    {
        if (heading.Length == 0)
        {
            return chunk.Anchor.Length == 0;
        }

        var wanted = Words(heading);
        return Words(chunk.Heading) == wanted || chunk.TitlePath.Skip(1).Any(t => Words(t) == wanted)
               || chunk.Text.Split('\n').Any(line => Words(line) == wanted);
    }

    private static string Words(string text) => string.Join(' ', TextAnalyzer.Words(text));

    /// <summary>Expected pages named by source path (with the book's pages), URL path or URL, resolved to the index's page URLs.</summary>
    private sealed class ExpectedPages(IReadOnlyList<BookPage>? pages, IReadOnlyList<string> indexed)
    {
        private readonly Dictionary<string, string> bySource = (pages ?? [])
            .GroupBy(p => Path.ChangeExtension(p.SourcePath, null).Trim('/'), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().PageUrl, StringComparer.OrdinalIgnoreCase);

        public string? Resolve(string page)
        {
            var key = page.Trim();
            if (bySource.TryGetValue(Path.ChangeExtension(key, null).Trim('/'), out var url))
            {
                return url;
            }

            if (Uri.TryCreate(key, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
            {
                return indexed.FirstOrDefault(u => string.Equals(u.TrimEnd('/'), key.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));
            }

            var path = "/" + key.Trim('/');
            return indexed.FirstOrDefault(u => Uri.TryCreate(u, UriKind.Absolute, out var uri)
                && (uri.AbsolutePath.TrimEnd('/') == path || uri.AbsolutePath.TrimEnd('/').EndsWith(path, StringComparison.Ordinal)));
        }
    }
}
