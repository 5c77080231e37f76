namespace RagFunctions.Retrieval.Text;

/// <summary>
/// The one stop list: words that say nothing about which section answers a question. Keyword search (SQLite FTS and
/// Qdrant's BM25 vectors), extractive scoring, the evidence gate and Urdu matching all drop the same words.
/// Entries are as <see cref="TextAnalyzer"/> folds them: NFKC, lower case.
/// </summary>
internal static class StopWords
{
    private static readonly string[] List =
    [
        // English function words ("only" is not one here: "build only one package" asks for exactly that).
        "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at",
        "be", "because", "been", "before", "being", "below", "between", "both", "but", "by",
        "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further",
        "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how",
        "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me", "more", "most", "my", "myself",
        "no", "nor", "not", "now", "of", "off", "on", "once", "or", "other", "our", "ours", "ourselves",
        "out", "over", "own", "same", "she", "should", "so", "some", "such",
        "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they",
        "this", "those", "through", "to", "too", "under", "until", "up", "us", "very",
        "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would",
        "you", "your", "yours", "yourself", "yourselves",

        // Contraction leftovers ("robot's" → "robot", "s"), and contractions typed without their apostrophe ("arent",
        // "doesnt"), which are not misspelt words: "paramters arent aplied" is about parameters, not about a parent.
        "s", "t", "d", "ll", "m", "re", "ve",
        "arent", "isnt", "wasnt", "werent", "dont", "doesnt", "didnt", "hasnt", "havent", "hadnt", "wont", "wouldnt",
        "shouldnt", "couldnt", "cant", "cannot",

        // Question filler: how readers ask, not what they ask about.
        "book", "chapter", "section", "please", "explain", "describe", "tell", "mean", "means", "difference",
        "get", "give", "show", "use", "used", "using", "wat", "whats", "hows",
        "pls", "plz", "eli5", "thanks", "thx",

        // Urdu postpositions, auxiliaries, pronouns, question words and question filler (as written without diacritics).
        "کا", "کی", "کے", "ہے", "ہیں", "میں", "اور", "سے", "کو", "یہ", "وہ", "پر", "نے", "کیا", "ایک", "بھی", "تو", "ہو", "تھا",
        "تھی", "تھے", "جو", "کہ", "ہوتا", "ہوتی", "ہوتے", "کیسے", "کیوں", "کب", "کہاں", "کون", "کونسا", "کس", "کتنا", "کتنی",
        "کتنے", "نہیں", "کرتے", "کرتا", "کرتی", "کرنا", "کریں", "کر", "بتائیں", "بتاؤ", "سمجھائیں", "لیے", "لئے", "ساتھ", "اگر",
        "لیکن", "جب", "والا", "والی", "والے", "رہا", "رہی", "رہے", "سکتا", "سکتی", "سکتے", "چاہیے", "جاتا", "جاتی", "جاتے", "دیا",
        "گیا", "گئی", "ہم", "مجھے", "میرا", "میری", "میرے", "اپنا", "اپنی", "اپنے", "فرق", "درمیان", "بارے", "استعمال", "طریقہ",
    ];

    /// <summary>Each entry folded as the analyzer folds words, and also without its Arabic-script marks ("گئی" loses its hamza).</summary>
    private static readonly HashSet<string> Words = List
        .SelectMany(w => new[] { TextAnalyzer.Fold(w), TextAnalyzer.Fold(TextAnalyzer.WithoutArabicMarks(w)) })
        .ToHashSet(StringComparer.Ordinal);

    /// <summary>True for a stop word (<paramref name="word"/> folded as <see cref="TextAnalyzer.Words"/> returns it).</summary>
    public static bool Contains(string word) => Words.Contains(word);
}
