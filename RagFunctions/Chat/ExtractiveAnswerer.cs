using System.Text;
using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Chat;

/// <summary>A sentence of the answer and the source (index into <c>sources</c>) it came from.</summary>
internal sealed record AnswerSentence(string Text, int Source);

/// <summary>
/// Answers without a language model: the sentences (and command lines) of the top sections that share the most
/// question terms, weighted by how rare each term is among the candidates and by the section's rank,
/// kept in reading order, each followed by the <c>[n]</c> marker of its source.
/// </summary>
internal static class ExtractiveAnswerer
{
    private const int MaxSentences = 3;
    private const int SectionsConsidered = 3;
    private const int MaxSentenceLength = 400;

    public static IReadOnlyList<AnswerSentence> Select(string question, IReadOnlyList<BookChunk> sources)
    {
        var queryTerms = TextTerms.Terms(question).ToHashSet(StringComparer.Ordinal);
        if (queryTerms.Count == 0 || sources.Count == 0)
        {
            return [];
        }

        var candidates = new List<Candidate>();
        for (var source = 0; source < Math.Min(SectionsConsidered, sources.Count); source++)
        {
            var position = 0;
            foreach (var sentence in Sentences(sources[source]))
            {
                candidates.Add(new Candidate(sentence, source, position++, TextTerms.Terms(sentence).ToHashSet(StringComparer.Ordinal)));
            }
        }

        // Inverse document frequency over the candidate sentences: a term every sentence has tells nothing.
        var idf = queryTerms.ToDictionary(
            t => t,
            t => Math.Log(1 + (candidates.Count + 1.0) / (1 + candidates.Count(c => c.Terms.Contains(t)))),
            StringComparer.Ordinal);

        var scored = candidates
            .Select(c => (Candidate: c, Score: Score(c, queryTerms, idf)))
            .Where(s => s.Score > 0)
            .OrderByDescending(s => s.Score)
            .ToArray();
        if (scored.Length == 0)
        {
            return [];
        }

        var best = scored[0].Score;
        return scored
            .Where(s => s.Score >= best * 0.45)
            .Take(MaxSentences)
            .OrderBy(s => s.Candidate.Source).ThenBy(s => s.Candidate.Position)
            .Select(s => new AnswerSentence(s.Candidate.Text, s.Candidate.Source))
            .ToArray();
    }

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
            return 0;
        }

        var coverage = matched / queryTerms.Sum(t => idf[t]);
        var length = Math.Max(6, candidate.Terms.Count);
        var rankPrior = 1.0 / (1 + 0.35 * candidate.Source);
        return coverage * rankPrior / Math.Sqrt(Math.Log(length));
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

    private sealed record Candidate(string Text, int Source, int Position, HashSet<string> Terms);
}
