using RagFunctions.Retrieval.Text;

namespace RagFunctions.Retrieval.Vocabulary;

/// <summary>
/// Corrects misspelt words of a question against the book's own vocabulary (symmetric-delete lookup, as SymSpell
/// does): every indexed word is stored under the strings left by deleting one or two of its letters, so a typo
/// finds its candidates by its own deletes, and the candidate with the fewest edits wins.
/// The deletes are kept as hashes in one sorted array (a hash that two strings share only adds a candidate, which
/// the edit distance then rules out): about 2 MB for a book of 6,000 distinct words instead of 20 MB of strings.
/// Only Latin-letter words (and snake_case names: "cv_brige" → "cv_bridge") the book does not use are touched, at
/// most one edit up to seven letters and two from eight: "colcon buld only one pakage" → "colcon build only one
/// package". Among words as many edits away, the likelier slip of the fingers wins ("waht" → "what", not "want"; see
/// <see cref="EditDistance.Slip"/>), then the commoner word. A real English word, or one of three letters, is
/// corrected only to a word the book uses at least 20 times and that it completes with one letter ("wht is a ros2
/// nod" → "… node"; "talk" is never "task"), or, when it is no word at all, that it is with two neighbouring letters
/// swapped ("teh" → "the").
/// </summary>
internal sealed class SpellingCorrector
{
    private const int MinLength = 4;
    private const int ShortLength = 3;
    private const int FrequentWord = 20;
    private const int LongWord = 8;

    private readonly Dictionary<string, int> frequency;
    private readonly IReadOnlySet<string> lexicon;
    private readonly IReadOnlySet<string> flags;
    private readonly string[] candidates;

    /// <summary>Sorted: each delete's hash in the high half, the index of the candidate it came from in the low half.</summary>
    private readonly long[] deletes;

    /// <param name="wordCounts">The book's words (lower-case) and how often it uses them.</param>
    /// <param name="lexicon">Words that are never corrected, though the book does not use them (real words).</param>
    /// <param name="flags">The long command-line flags the book names ("--bail"), lower-case.</param>
    public SpellingCorrector(IReadOnlyDictionary<string, int> wordCounts, IReadOnlySet<string> lexicon, IReadOnlySet<string>? flags = null)
    {
        this.lexicon = lexicon;
        this.flags = flags ?? new HashSet<string>();
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

    /// <summary>True when the book names this long flag ("--bail"), anywhere: its words alone do not say so.</summary>
    public bool NamesFlag(string flag) => flags.Contains(flag.ToLowerInvariant());

    /// <summary>How often the book uses this (lower-case) word.</summary>
    public int Count(string word) => frequency.GetValueOrDefault(word);

    /// <summary>The book's word closest to <paramref name="word"/> (lower-case), or the word itself.</summary>
    public string Correct(string word)
    {
        if (!IsCorrectable(word) || frequency.ContainsKey(word))
        {
            return word;
        }

        // A real word the book never uses ("nod", or a plural, "devs"), or a three-letter one, is corrected only to a word
        // the book uses often and that it completes ("node"): "wht is a ros2 nod" is about nodes, but "how do I feed my
        // cat" is not about carts, and "when people talk about simulators" is not about tasks.
        var cautious = lexicon.Contains(word) || word.EndsWith('s') && lexicon.Contains(word[..^1]) || word.Length < MinLength;

        var maxEdits = MaxEdits(word.Length);
        string? best = null;
        int bestEdits = int.MaxValue, bestCount = 0, bestSlip = int.MaxValue;
        foreach (var variant in Deletes(word, maxEdits).Append(word))
        {
            var hash = Entry(variant, 0);
            var at = Array.BinarySearch(deletes, hash);
            for (var k = at >= 0 ? at : ~at; k < deletes.Length && deletes[k] >> 32 == hash >> 32; k++)
            {
                var candidate = candidates[(int)(deletes[k] & 0xFFFF_FFFF)];
                var edits = EditDistance.Restricted(word, candidate, maxEdits);
                if (edits > maxEdits)
                {
                    continue;
                }

                var count = frequency[candidate];
                var slip = EditDistance.Slip(word, candidate);
                if (edits < bestEdits || edits == bestEdits && (slip < bestSlip || slip == bestSlip && (count > bestCount || count == bestCount && string.CompareOrdinal(candidate, best) < 0)))
                {
                    (best, bestEdits, bestCount, bestSlip) = (candidate, edits, count, slip);
                }
            }
        }

        return best is null || cautious && (bestCount < FrequentWord || !(Completes(word, best) || SwapsTwoLetters(word, best) && !lexicon.Contains(word))) ? word : best;
    }

    /// <summary>"node" completes "nod": it is the typed word with one letter more.</summary>
    private static bool Completes(string typed, string candidate)
        => candidate.Length == typed.Length + 1 && EditDistance.Restricted(typed, candidate, 1) == 1;

    /// <summary>"teh" for "the", "adn" for "and": two neighbouring letters typed the wrong way round, the likeliest slip.</summary>
    private static bool SwapsTwoLetters(string typed, string candidate)
        => candidate.Length == typed.Length && EditDistance.Slip(typed, candidate) == 0;

    /// <summary>The text (NFKC) with each misspelt word replaced by its correction; everything else kept as it was.</summary>
    public string CorrectText(string text) => TextAnalyzer.ReplaceWords(text, word => Correct(word) is var corrected && corrected != word ? corrected : null);

    private static int MaxEdits(int length) => length >= LongWord ? 2 : 1;

    private static long Entry(string variant, int candidate) => ((long)StringComparer.Ordinal.GetHashCode(variant) << 32) | (uint)candidate;

    /// <summary>A book word a misspelling may be corrected to ("should" too: "shoud" → "should").</summary>
    private static bool IsCandidate(string word) => word.Length >= MinLength - 1 && IsSpelt(word);

    /// <summary>A question word that may be corrected: stop words ("wats") are left alone, they are not searched.</summary>
    private static bool IsCorrectable(string word) => word.Length >= ShortLength && IsSpelt(word) && !StopWords.Contains(word);

    /// <summary>Lower-case letters, or a snake_case name of them ("cv_bridge"): a word a reader spells, not a number or a version.</summary>
    private static bool IsSpelt(string word)
        => word.All(char.IsAsciiLetterLower)
           || word.All(c => char.IsAsciiLetterLower(c) || c == '_') && word[0] != '_' && word[^1] != '_' && !word.Contains("__", StringComparison.Ordinal);

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
    /// How common a one-edit slip from <paramref name="intended"/> to <paramref name="typed"/> is, commonest first: 0 for two
    /// neighbours swapped ("waht" for "what") or a doubled letter typed once or twice ("stoped" for "stopped"), 1 for
    /// another letter left out or added ("wich" for "which", "weel" for "wheel"), 2 for a key's neighbour typed for it
    /// ("nodr" for "node"; "weel" is not a slip for "week"), 3 for any other letter typed for another ("wich" is not a slip for
    /// "with"), and 1 for anything further than one edit. Readers who type fast leave letters out, most of all the ones
    /// they do not hear ("wat", "shud", "pipline").
    /// </summary>
    public static int Slip(string typed, string intended)
    {
        if (typed.Length == intended.Length)
        {
            var first = 0;
            while (first < typed.Length && typed[first] == intended[first])
            {
                first++;
            }

            var swapped = first + 1 < typed.Length && typed[first] == intended[first + 1] && typed[first + 1] == intended[first]
                          && typed.AsSpan(first + 2).SequenceEqual(intended.AsSpan(first + 2));
            if (swapped)
            {
                return 0;
            }

            return Restricted(typed, intended, 1) != 1 ? 1 : Neighbours(typed[first], intended[first]) ? 2 : 3;
        }

        var (longer, shorter) = typed.Length > intended.Length ? (typed, intended) : (intended, typed);
        if (longer.Length != shorter.Length + 1)
        {
            return 1;
        }

        var at = 0;
        while (at < shorter.Length && longer[at] == shorter[at])
        {
            at++;
        }

        if (!longer.AsSpan(at + 1).SequenceEqual(shorter.AsSpan(at)))
        {
            return 1;
        }

        var doubled = at > 0 && longer[at - 1] == longer[at] || at + 1 < longer.Length && longer[at + 1] == longer[at];
        return doubled ? 0 : 1;
    }

    private static readonly string[] KeyRows = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];

    /// <summary>Keys next to each other on a QWERTY keyboard ("s" and "z", "h" and "n"), where a finger slips.</summary>
    private static bool Neighbours(char a, char b)
    {
        var (rowA, rowB) = (Array.FindIndex(KeyRows, r => r.Contains(a)), Array.FindIndex(KeyRows, r => r.Contains(b)));
        if (rowA < 0 || rowB < 0 || Math.Abs(rowA - rowB) > 1)
        {
            return false;
        }

        // Each row sits half a key to the right of the one above: a key touches the one above it and the one above-right.
        var (i, j) = (KeyRows[rowA].IndexOf(a), KeyRows[rowB].IndexOf(b));
        return rowA == rowB ? Math.Abs(i - j) == 1 : rowA < rowB ? j == i || j == i - 1 : i == j || i == j - 1;
    }

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
