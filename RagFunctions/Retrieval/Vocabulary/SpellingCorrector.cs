using RagFunctions.Retrieval.Text;

namespace RagFunctions.Retrieval.Vocabulary;

/// <summary>
/// Corrects misspelt words of a question against the book's own vocabulary (symmetric-delete lookup, as SymSpell
/// does): every indexed word is stored under the strings left by deleting one or two of its letters, so a typo
/// finds its candidates by its own deletes, and the candidate with the fewest edits (then the most frequent) wins.
/// The deletes are kept as hashes in one sorted array (a hash that two strings share only adds a candidate, which
/// the edit distance then rules out): about 2 MB for a book of 6,000 distinct words instead of 20 MB of strings.
/// Only Latin-letter words the book does not use are touched, at most one edit up to seven letters and two from eight:
/// "colcon buld only one pakage" → "colcon build only one package". A real English word, or one of three letters, is
/// corrected only to a word the book uses at least 20 times ("wht is a ros2 nod" → "… node").
/// </summary>
internal sealed class SpellingCorrector
{
    private const int MinLength = 4;
    private const int ShortLength = 3;
    private const int FrequentWord = 20;
    private const int LongWord = 8;

    private readonly Dictionary<string, int> frequency;
    private readonly IReadOnlySet<string> lexicon;
    private readonly string[] candidates;

    /// <summary>Sorted: each delete's hash in the high half, the index of the candidate it came from in the low half.</summary>
    private readonly long[] deletes;

    /// <param name="wordCounts">The book's words (lower-case) and how often it uses them.</param>
    /// <param name="lexicon">Words that are never corrected, though the book does not use them (real words).</param>
    public SpellingCorrector(IReadOnlyDictionary<string, int> wordCounts, IReadOnlySet<string> lexicon)
    {
        this.lexicon = lexicon;
        frequency = new Dictionary<string, int>(wordCounts, StringComparer.Ordinal);
        candidates = [.. frequency.Keys.Where(IsCandidate).Order(StringComparer.Ordinal)];
        var entries = new List<long>();
        for (var i = 0; i < candidates.Length; i++)
        {
            foreach (var variant in Deletes(candidates[i], MaxEdits(candidates[i].Length + 1)).Append(candidates[i]))
            {
                entries.Add(Entry(variant, i));
            }
        }

        deletes = [.. entries.Distinct().Order()];
    }

    public static SpellingCorrector Empty { get; } = new(new Dictionary<string, int>(), new HashSet<string>());

    public int Words => frequency.Count;

    /// <summary>Every word the book uses (lower-case).</summary>
    public IEnumerable<string> WordList => frequency.Keys;

    /// <summary>True when the book uses this (lower-case) word.</summary>
    public bool Knows(string word) => frequency.ContainsKey(word);

    /// <summary>How often the book uses this (lower-case) word.</summary>
    public int Count(string word) => frequency.GetValueOrDefault(word);

    /// <summary>The book's word closest to <paramref name="word"/> (lower-case), or the word itself.</summary>
    public string Correct(string word)
    {
        if (!IsCorrectable(word) || frequency.ContainsKey(word))
        {
            return word;
        }

        // A real word the book never uses ("nod"), or a three-letter one, is corrected only to a word the book uses
        // often ("node"): "wht is a ros2 nod" is about nodes, "how do I feed my cat" is not about carts.
        var cautious = lexicon.Contains(word) || word.Length < MinLength;

        var maxEdits = MaxEdits(word.Length);
        string? best = null;
        int bestEdits = int.MaxValue, bestCount = 0;
        foreach (var variant in Deletes(word, maxEdits).Append(word))
        {
            var hash = Entry(variant, 0);
            var at = Array.BinarySearch(deletes, hash);
            for (var k = at >= 0 ? at : ~at; k < deletes.Length && deletes[k] >> 32 == hash >> 32; k++)
            {
                var candidate = candidates[(int)(deletes[k] & 0xFFFF_FFFF)];
                var edits = EditDistance.Restricted(word, candidate, maxEdits);
                var count = frequency[candidate];
                if (edits <= maxEdits && (edits < bestEdits || edits == bestEdits && (count > bestCount || count == bestCount && string.CompareOrdinal(candidate, best) < 0)))
                {
                    (best, bestEdits, bestCount) = (candidate, edits, count);
                }
            }
        }

        return best is null || cautious && bestCount < FrequentWord ? word : best;
    }

    /// <summary>The text (NFKC) with each misspelt word replaced by its correction; everything else kept as it was.</summary>
    public string CorrectText(string text) => TextAnalyzer.ReplaceWords(text, word => Correct(word) is var corrected && corrected != word ? corrected : null);

    private static int MaxEdits(int length) => length >= LongWord ? 2 : 1;

    private static long Entry(string variant, int candidate) => ((long)StringComparer.Ordinal.GetHashCode(variant) << 32) | (uint)candidate;

    /// <summary>A book word a misspelling may be corrected to ("should" too: "shoud" → "should").</summary>
    private static bool IsCandidate(string word) => word.Length >= MinLength - 1 && word.All(char.IsAsciiLetterLower);

    /// <summary>A question word that may be corrected: stop words ("wats") are left alone, they are not searched.</summary>
    private static bool IsCorrectable(string word) => word.Length >= ShortLength && word.All(char.IsAsciiLetterLower) && !StopWords.Contains(word);

    /// <summary>The strings left by deleting up to <paramref name="edits"/> letters (the word itself excluded).</summary>
    private static HashSet<string> Deletes(string word, int edits)
    {
        var result = new HashSet<string>(StringComparer.Ordinal);
        var frontier = new List<string> { word };
        for (var round = 0; round < edits; round++)
        {
            var next = new List<string>();
            foreach (var item in frontier)
            {
                for (var i = 0; i < item.Length && item.Length > 1; i++)
                {
                    var shorter = item.Remove(i, 1);
                    if (result.Add(shorter))
                    {
                        next.Add(shorter);
                    }
                }
            }

            frontier = next;
        }

        return result;
    }
}

/// <summary>Edit distances for spelling correction.</summary>
internal static class EditDistance
{
    /// <summary>
    /// Optimal string alignment distance (insertions, deletions, substitutions and swaps of neighbours: "actoins" is one
    /// edit from "actions"), or <paramref name="max"/> + 1 as soon as it must exceed <paramref name="max"/>.
    /// </summary>
    public static int Restricted(string a, string b, int max)
    {
        if (Math.Abs(a.Length - b.Length) > max)
        {
            return max + 1;
        }

        var previous2 = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var rowMin = current[0];
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    current[j] = Math.Min(current[j], previous2[j - 2] + 1);
                }

                rowMin = Math.Min(rowMin, current[j]);
            }

            if (rowMin > max)
            {
                return max + 1;
            }

            (previous2, previous, current) = (previous, current, previous2);
        }

        return previous[b.Length];
    }
}
