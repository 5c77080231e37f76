namespace RagFunctions.Chat;

/// <summary>Words for lexical scoring: lower-case letters and digits of any script, stop words out, a light English stemmer.</summary>
internal static class TextTerms
{
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "could", "did", "do", "does", "doing", "for",
        "from", "had", "has", "have", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "of", "on", "or", "our",
        "should", "so", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "to", "too",
        "us", "use", "used", "using", "was", "we", "were", "what", "when", "where", "which", "who", "whom", "why", "will",
        "with", "would", "you", "your", "about", "explain", "tell", "please", "book", "chapter", "section", "mean", "means",
        "wat", "whats", "hows", "some", "any", "all", "also", "just", "get", "give", "show", "between", "difference",
    };

    public static bool IsStopWord(string token) => StopWords.Contains(token);

    public static IEnumerable<string> Tokens(string text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_');
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                yield return text[start..i].ToLowerInvariant();
                start = -1;
            }
        }
    }

    /// <summary>Content terms: tokens minus stop words, stemmed.</summary>
    public static IEnumerable<string> Terms(string text) => ContentWords(text).Select(Stem);

    /// <summary>Tokens minus stop words, as written (lower-case).</summary>
    public static IEnumerable<string> ContentWords(string text)
        => Tokens(text).Where(t => t.Length > 1 && !StopWords.Contains(t));

    public static string Stem(string word)
    {
        if (word.Length <= 3 || !word.All(char.IsAsciiLetter))
        {
            return word;
        }

        var stem = word.Length <= 4 ? word : StripSuffix(word);

        // package and packages, node and nodes: a final e goes too, so both forms meet.
        return stem.Length > 3 && stem[^1] == 'e' ? stem[..^1] : stem;
    }

    private static string StripSuffix(string word)
    {
        foreach (var suffix in (ReadOnlySpan<string>)["ations", "ation", "ings", "ing", "ies", "ers", "er", "es", "ed", "s"])
        {
            if (word.EndsWith(suffix, StringComparison.Ordinal) && word.Length - suffix.Length >= 3)
            {
                var stem = suffix == "ies" ? word[..^3] + "y" : word[..^suffix.Length];
                // running → run, stopped → stop: a doubled final consonant left by the suffix goes.
                return suffix is "ing" or "ed" or "er" or "ers" && stem.Length > 3 && stem[^1] == stem[^2] && stem[^1] is not ('l' or 's' or 'z')
                    ? stem[..^1]
                    : stem;
            }
        }

        return word;
    }
}
