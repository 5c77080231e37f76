using System.Globalization;
using System.Text;

namespace RagFunctions.Retrieval.VectorStore.Sqlite;

/// <summary>
/// Turns a reader's question into an FTS5 query that cannot be read as FTS5 syntax:
/// words (runs of letters, digits and combining marks, any script) lower-cased, stop words dropped,
/// each word quoted, joined with <c>OR</c>. Quotes, <c>*</c>, <c>NEAR(</c>, <c>-</c>, <c>:</c> and the like
/// never reach <c>MATCH</c>: they are separators here.
/// </summary>
internal static class FtsQuery
{
    /// <summary>More words than this add cost, not recall.</summary>
    public const int MaxTerms = 32;

    /// <summary>Longer runs are not words (hashes, base64); they are dropped.</summary>
    public const int MaxTermLength = 64;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        // English function words, contraction leftovers ("robot's" → "robot", "s") and question filler.
        "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are", "as", "at",
        "be", "because", "been", "before", "being", "below", "between", "both", "but", "by",
        "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further",
        "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how",
        "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my", "myself",
        "no", "nor", "not", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves",
        "out", "over", "own", "same", "she", "should", "so", "some", "such",
        "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they",
        "this", "those", "through", "to", "too", "under", "until", "up", "very",
        "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would",
        "you", "your", "yours", "yourself", "yourselves",
        "s", "t", "d", "ll", "m", "re", "ve",
        "also", "please", "explain", "describe", "tell",

        // Urdu postpositions, auxiliaries and question words.
        "کا", "کی", "کے", "ہے", "ہیں", "میں", "اور", "سے", "کو", "یہ", "وہ", "پر", "نے", "کیا", "ایک", "بھی",
        "تو", "ہو", "تھا", "تھی", "تھے", "جو", "کہ",
    };

    /// <summary>The query's search words, in order of first appearance, without duplicates.</summary>
    public static IReadOnlyList<string> Terms(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var terms = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var word = new StringBuilder();
        foreach (var rune in text.ToLowerInvariant().EnumerateRunes())
        {
            if (IsWordRune(rune, inWord: word.Length > 0))
            {
                word.Append(rune.ToString());
                continue;
            }

            if (!Add(word, terms, seen))
            {
                return terms;
            }
        }

        Add(word, terms, seen);
        return terms;
    }

    /// <summary>The FTS5 <c>MATCH</c> expression, or null when the text has no search words.</summary>
    public static string? Build(string? text)
    {
        var terms = Terms(text);
        return terms.Count == 0 ? null : string.Join(" OR ", terms.Select(t => "\"" + t + "\""));
    }

    /// <returns>False once <see cref="MaxTerms"/> words are collected.</returns>
    private static bool Add(StringBuilder word, List<string> terms, HashSet<string> seen)
    {
        if (word.Length == 0)
        {
            return true;
        }

        var term = word.ToString();
        word.Clear();
        if (term.Length <= MaxTermLength && !StopWords.Contains(term) && seen.Add(term))
        {
            terms.Add(term);
        }

        return terms.Count < MaxTerms;
    }

    /// <summary>Letters and numbers of any script; combining marks (Urdu diacritics, Hindi vowel signs) inside a word.</summary>
    private static bool IsWordRune(Rune rune, bool inWord)
    {
        if (Rune.IsLetter(rune) || Rune.IsNumber(rune))
        {
            return true;
        }

        return inWord && Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark
            or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;
    }
}
