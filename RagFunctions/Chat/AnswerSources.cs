using System.Globalization;
using System.Text.RegularExpressions;
using RagFunctions.Ingestion;
using RagFunctions.Retrieval.VectorStore;
using RagFunctions.Translation;

namespace RagFunctions.Chat;

/// <summary>
/// What an answer points to in the book: its sources (title path, snippet, score), the answer spans each <c>[n]</c>
/// marker cites, and questions about the nearby sections it does not cite; and the answer put together with them.
/// </summary>
internal sealed partial class AnswerSources(ChatPipelineOptions settings)
{
    /// <summary>The answer with its sources, citation spans and suggested questions, under a new id.</summary>
    /// <remarks>
    /// A right-to-left answer (Urdu) carries <c>dir: "rtl"</c>, and its code, commands, paths and English runs are
    /// wrapped in directional isolates so they read left to right in client A's right-to-left box.
    /// </remarks>
    public static ChatAnswer Answer(
        PreparedQuestion prepared, string answer, IReadOnlyList<ChatSource> sources, string mode, bool grounded, bool degraded)
        => Made(prepared, prepared.Language.AnswerIsRtl ? RtlIsolates.Text(answer) : answer, sources, mode, grounded, degraded);

    private static ChatAnswer Made(
        PreparedQuestion prepared, string answer, IReadOnlyList<ChatSource> sources, string mode, bool grounded, bool degraded)
        => new(
            answer,
            sources,
            ChatAnswer.NewId(),
            mode,
            grounded,
            degraded,
            Citations(answer),
            Suggestions(prepared, sources),
            prepared.Watch.ElapsedMilliseconds)
        {
            StandaloneQuestion = prepared.Standalone == prepared.Query.Question ? null : prepared.Standalone,
            Dir = prepared.Language.AnswerIsRtl ? "rtl" : "ltr",
        };

    /// <summary>
    /// Says, in the question's language, that the book does not cover it. The closest sections are the sources, unless
    /// the question is far from anything in the book (its nearest section's similarity well under the threshold): sections about
    /// something else would only mislead ("sourdough bread" → no "closest sections", and no questions suggested about
    /// them). A quiz or an exercise is never offered as a closest section.
    /// </summary>
    public ChatAnswer Refusal(PreparedQuestion prepared)
    {
        if (prepared.Loanwords is { Count: 0 })
        {
            return Answer(prepared, QuestionLanguage.UrduNothingMatched, [], AnswerModes.Refusal, grounded: false, degraded: false);
        }

        // Far from the book: no sections, and no questions about them either.
        if (IsFar(prepared))
        {
            return Answer(prepared, prepared.Language.Refusal(offersSections: false), [], AnswerModes.Refusal, grounded: false, degraded: false) with { SuggestedQuestions = [] };
        }

        // A quiz or an exercise is no section to read instead ("Question 7: Perception Latency Budget" for a bread recipe).
        var closest = prepared.Hits.Where(h => !PassageUnits.IsNoiseSection(h.Chunk))
            .Take(settings.RefusalSources).Select(h => Source(h.Chunk, h.DenseScore ?? h.Score)).ToArray();
        return Answer(prepared, prepared.Language.Refusal(offersSections: closest.Length > 0), closest, AnswerModes.Refusal, grounded: false, degraded: false);
    }

    private bool IsFar(PreparedQuestion prepared)
        => prepared.Evidence == Evidence.None && prepared.Translated is null
           && prepared.Signals.Relevance < settings.EvidenceThreshold - settings.FarMargin;

    /// <summary>The sources in document order: the selection first when there is one (null when the index lacks it), then the passages.</summary>
    public static List<ChatSource?> InDocumentOrder(PreparedQuestion prepared, IReadOnlyList<BookChunk> passages)
    {
        var sources = new List<ChatSource?>();
        if (prepared.Query.SelectedText is not null)
        {
            sources.Add(prepared.Selection is { } chunk ? Source(chunk, 1) : null);
        }

        sources.AddRange(passages.Select(p => (ChatSource?)Passage(prepared, p)));
        return sources;
    }

    /// <summary>A passage as a source, scored by its hit's similarity to the question.</summary>
    public static ChatSource Passage(PreparedQuestion prepared, BookChunk passage)
        => Source(passage, prepared.Hits.FirstOrDefault(h => h.Chunk.Id == passage.Id)?.DenseScore ?? 0);

    public static ChatSource Source(BookChunk chunk, double score)
        => new(
            chunk.Url,
            chunk.PageTitle,
            chunk.Heading,
            string.Join(" › ", chunk.TitlePath.Count > 0 ? [chunk.TitlePath[0], chunk.Heading] : [chunk.PageTitle, chunk.Heading]),
            Snippet(chunk),
            Math.Round(score, 4));

    private static string Snippet(BookChunk chunk) => PlainText.Clip(ChatRequestValidator.Normalise(chunk.Body), 240);

    /// <summary>Each <c>[n]</c> marker with the sentence it ends, as answer spans → source indexes.</summary>
    private static IReadOnlyList<ChatCitation> Citations(string answer)
    {
        var citations = new List<ChatCitation>();
        var start = 0;
        foreach (Match run in MarkerRun().Matches(answer))
        {
            var numbers = Regex.Matches(run.Value, @"\d+").Select(m => int.Parse(m.Value, CultureInfo.InvariantCulture) - 1).ToArray();
            var end = run.Index;
            var text = answer[start..end].Trim();
            if (text.Length > 0)
            {
                var offset = answer.IndexOf(text, start, StringComparison.Ordinal);
                citations.Add(new ChatCitation(offset, offset + text.Length, text, numbers));
            }

            start = run.Index + run.Length;
        }

        return citations;
    }

    private static IReadOnlyList<string> Suggestions(PreparedQuestion prepared, IReadOnlyList<ChatSource> sources)
        => prepared.Hits
            .Select(h => h.Chunk)
            .Where(c => sources.All(s => s.Url != c.Url) && c.Anchor.Length > 0 && NamesATopic(c.Heading))
            .DistinctBy(c => c.Heading)
            .Take(3)
            .Select(c => $"What does the book say about {c.Heading}?")
            .ToArray();

    /// <summary>
    /// A heading worth a question: it names a topic. Not "Example", "Exercise 3", "Summary", a quiz, a number, emoji or
    /// punctuation; not a heading that is itself a question ("What Gets Converted?").
    /// </summary>
    internal static bool NamesATopic(string heading)
    {
        var words = Retrieval.Text.TextAnalyzer.ContentWords(heading).Where(w => w.Any(char.IsLetter)).ToArray();
        return words.Length > 0 && heading.Length <= 80 && !heading.TrimEnd().EndsWith('?') && !GenericHeading().IsMatch(heading.Trim())
               && !PassageUnits.IsNoiseHeading(heading);
    }

    [GeneratedRegex(@"(?i)^(?:\W*\d*\W*)?(?:examples?|exercises?|tasks?|steps?|step\s+\d+|part\s+\d+|summary|overview|introduction|conclusion|next\s+steps|what'?s\s+next|key\s+takeaways|prerequisites|notes?|tips?|recap|resources|getting\s+started)(?:\s*\d+)?\W*$")]
    private static partial Regex GenericHeading();

    [GeneratedRegex(@"(?:\s?\[\d+\])+")]
    private static partial Regex MarkerRun();
}
