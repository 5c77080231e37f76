using System.Text;
using RagFunctions.Retrieval.Text;
using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Chat;

/// <summary>A sentence of the answer and the source (index into <c>sources</c>) it came from.</summary>
internal sealed record AnswerSentence(string Text, int Source);

/// <summary>
/// Answers without a language model. Every sentence (and command line) of the top sections is scored by the
/// question terms it shares, weighted by how rare each term is among the candidates and by the section's rank.
/// The answer is a short window of the passage around the best sentence — the fact a question asks for often sits
/// in the sentence before ("This is known as …") or after (the command under its comment, the rows of a table) —
/// plus, when another section scores nearly as well, its best sentence. Each run ends with its <c>[n]</c> marker.
/// </summary>
internal static class ExtractiveAnswerer
{
    private const int SectionsConsidered = 3;
    private const int MaxSentenceLength = 400;
    private const int WindowWords = 80;
    private const int AnswerWords = 130;
    private const int FollowingSentences = 2;
    private const double HeadingOnlyScore = 0.01;

    private static readonly HashSet<string> ReferringStarts = new(StringComparer.OrdinalIgnoreCase)
    {
        "this", "these", "that", "those", "it", "they", "such", "here", "both", "each", "its", "their", "then", "so",
    };

    public static IReadOnlyList<AnswerSentence> Select(string question, IReadOnlyList<BookChunk> sources)
    {
        var queryTerms = TextAnalyzer.Terms(question).ToHashSet(StringComparer.Ordinal);
        if (queryTerms.Count == 0 || sources.Count == 0)
        {
            return [];
        }

        var passages = new List<List<Candidate>>();
        for (var source = 0; source < Math.Min(SectionsConsidered, sources.Count); source++)
        {
            var heading = TextAnalyzer.Terms(sources[source].Heading).ToHashSet(StringComparer.Ordinal);
            var headingMatch = heading.Count == 0 ? 0 : queryTerms.Count(heading.Contains) / (double)queryTerms.Count;
            passages.Add(Sentences(sources[source])
                .Select((sentence, position) => new Candidate(sentence, source, position, TextAnalyzer.Terms(sentence).ToHashSet(StringComparer.Ordinal), headingMatch))
                .ToList());
        }

        // Inverse document frequency over the candidate sentences: a term every sentence has tells nothing.
        var all = passages.SelectMany(p => p).ToArray();
        var idf = queryTerms.ToDictionary(
            t => t,
            t => Math.Log(1 + (all.Length + 1.0) / (1 + all.Count(c => c.Terms.Contains(t)))),
            StringComparer.Ordinal);
        var scored = all
            .Select(c => (Candidate: c, Score: Score(c, queryTerms, idf)))
            .Where(s => s.Score > 0)
            .OrderByDescending(s => s.Score)
            .ToArray();
        if (scored.Length == 0)
        {
            return [];
        }

        var best = scored[0];
        var answer = Window(passages[best.Candidate.Source], best.Candidate.Position);
        var second = scored.FirstOrDefault(s => s.Candidate.Source != best.Candidate.Source && s.Score >= best.Score * 0.6);
        if (second.Candidate is { } other && Words(answer) + Words(other.Text) <= AnswerWords)
        {
            answer = [.. answer, other];
        }

        return answer
            .OrderBy(c => c.Source).ThenBy(c => c.Position)
            .Select(c => new AnswerSentence(c.Text, c.Source))
            .ToArray();
    }

    /// <summary>The best sentence, the one before it when it points back, and the following ones within the word budget.</summary>
    private static List<Candidate> Window(List<Candidate> passage, int best)
    {
        var window = new List<Candidate> { passage[best] };
        var firstWord = TextAnalyzer.Words(passage[best].Text).FirstOrDefault() ?? "";
        if (best > 0 && (ReferringStarts.Contains(firstWord) || Words(passage[best].Text) < 8) && Words(passage[best - 1].Text) < WindowWords * 3 / 4)
        {
            window.Insert(0, passage[best - 1]);
        }

        // Prose: the next two sentences. Table rows and code lines are short and belong together: as many as fit.
        var prose = 0;
        for (var next = best + 1; next < passage.Count && Words(window) + Words(passage[next].Text) <= WindowWords; next++)
        {
            if (!IsStructured(passage[next].Text) && ++prose > FollowingSentences)
            {
                break;
            }

            window.Add(passage[next]);
        }

        return window;
    }

    /// <summary>A table row or a line of code, as the book's plain text renders them.</summary>
    private static bool IsStructured(string line)
        => line.Contains(" | ", StringComparison.Ordinal) || line.StartsWith('#') || !line.EndsWith('.') && Words(line) < 14;

    private static int Words(IEnumerable<Candidate> candidates) => candidates.Sum(c => Words(c.Text));

    private static int Words(string text) => text.Count(c => c == ' ') + 1;

    /// <summary>Sentences joined, with one <c>[n]</c> marker after each run of sentences from the same source.</summary>
    public static string Compose(IReadOnlyList<AnswerSentence> sentences)
    {
        var answer = new StringBuilder();
        for (var i = 0; i < sentences.Count; i++)
        {
            if (answer.Length > 0)
            {
                answer.Append(' ');
            }

            answer.Append(sentences[i].Text);
            if (i == sentences.Count - 1 || sentences[i + 1].Source != sentences[i].Source)
            {
                answer.Append(" [").Append(sentences[i].Source + 1).Append(']');
            }
        }

        return answer.ToString();
    }

    private static double Score(Candidate candidate, HashSet<string> queryTerms, Dictionary<string, double> idf)
    {
        var matched = queryTerms.Where(candidate.Terms.Contains).Sum(t => idf[t]);
        if (matched == 0)
        {
            // A section titled with the question's words ("Prerequisites") answers it even when no sentence repeats
            // them (a list of items): its opening lines, ranked below any sentence that shares a word.
            return candidate.HeadingMatch >= 0.5 ? HeadingOnlyScore * candidate.HeadingMatch / (1 + candidate.Source + candidate.Position) : 0;
        }

        var coverage = matched / queryTerms.Sum(t => idf[t]);
        var length = Math.Max(6, candidate.Terms.Count);
        var rankPrior = 1.0 / (1 + 0.6 * candidate.Source);
        // A section titled with the question's words is likely the answer; its opening sentences define the subject.
        var sectionPrior = (1 + 0.5 * candidate.HeadingMatch) / (1 + 0.03 * candidate.Position);
        return coverage * rankPrior * sectionPrior / Math.Sqrt(Math.Log(length));
    }

    /// <summary>Prose sentences and single code lines of a chunk; the leading title-path line is skipped.</summary>
    internal static IEnumerable<string> Sentences(BookChunk chunk)
    {
        var path = string.Join(" › ", chunk.TitlePath);
        foreach (var rawLine in chunk.Text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || line == path || line.StartsWith("Code (", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var sentence in SplitSentences(line))
            {
                if (sentence.Length is >= 12 and <= MaxSentenceLength && sentence.Any(char.IsLetter))
                {
                    yield return sentence;
                }
            }
        }
    }

    private static IEnumerable<string> SplitSentences(string line)
    {
        var start = 0;
        for (var i = 0; i < line.Length - 1; i++)
        {
            // ". " followed by an upper-case letter ends a sentence; "e.g. x" and "v1.2" do not.
            if (line[i] is '.' or '!' or '?' && line[i + 1] == ' ' && i + 2 < line.Length && char.IsUpper(line[i + 2])
                && !EndsWithAbbreviation(line.AsSpan(start, i - start + 1)))
            {
                yield return line[start..(i + 1)].Trim();
                start = i + 2;
            }
        }

        if (start < line.Length)
        {
            yield return line[start..].Trim();
        }
    }

    private static bool EndsWithAbbreviation(ReadOnlySpan<char> text)
        => text.EndsWith("e.g.", StringComparison.OrdinalIgnoreCase) || text.EndsWith("i.e.", StringComparison.OrdinalIgnoreCase)
           || text.EndsWith("etc.", StringComparison.OrdinalIgnoreCase) || text.EndsWith("vs.", StringComparison.OrdinalIgnoreCase);

    private sealed record Candidate(string Text, int Source, int Position, HashSet<string> Terms, double HeadingMatch);
}
