using RagFunctions.Retrieval.Text;
using RagFunctions.Translation;

namespace RagFunctions.Chat;

/// <summary>How a question is written: the book is English, its readers often ask in Urdu.</summary>
internal enum QuestionScript
{
    English,

    /// <summary>Urdu in its own (Perso-Arabic) script.</summary>
    Urdu,

    /// <summary>Urdu in Latin letters, usually around English technical terms: "ROS 2 mein topic kya hota hai?".</summary>
    RomanUrdu,
}

/// <summary>
/// The language of a question and of its answer. Retrieval, the evidence gate and the local embedding model work in
/// English, so a question in another script is searched in English (rewritten by the language model, or, offline,
/// stripped of its Roman-Urdu function words), and the answer, or the refusal, comes back in the reader's language.
/// </summary>
/// <param name="Script">How the question is written.</param>
/// <param name="Requested">The <c>language</c> the request asked the answer in, if any.</param>
internal sealed record QuestionLanguage(QuestionScript Script, string? Requested)
{
    public static readonly QuestionLanguage English = new(QuestionScript.English, null);

    /// <summary>Roman-Urdu function words: postpositions, auxiliaries, pronouns and question words.</summary>
    private static readonly HashSet<string> RomanUrduWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "kya", "kia", "kyaa", "hai", "hain", "hay", "hy", "hota", "hoti", "hotay", "hote", "hoga", "hogi", "hongay", "mein", "mai", "mei",
        "ka", "ki", "ke", "kay", "ko", "se", "sey", "aur", "ya", "kaise", "kaisay", "kese", "kesay", "kaisa", "kyun", "kyon", "kyu", "kiun",
        "kab", "kahan", "kidhar", "kon", "kaun", "konsa", "kaunsa", "kis", "kitna", "kitni", "kitne", "nahi", "nahin", "nai",
        "karte", "karta", "karti", "karna", "karen", "karein", "kar", "kro", "karo", "krna", "krte", "batao", "bataen", "bataein",
        "bataiye", "batayen", "samjhao", "samjhaein", "yeh", "ye", "woh", "wo", "tha", "thi", "thay", "hum", "mujhe", "mujhay",
        "mera", "meri", "mere", "apna", "apni", "apne", "liye", "liay", "lye", "sath", "saath", "agar", "lekin", "magar", "jab",
        "toh", "bhi", "wala", "wali", "walay", "waley", "raha", "rahi", "rahe", "sakta", "sakti", "sakte", "saktay", "chahiye",
        "chaiye", "chahye", "jata", "jati", "jate", "jaata", "diya", "gaya", "gayi", "farq", "istemal", "istamal",
        "tarika", "tareeqa", "tareeka", "zaroorat", "kaam", "dono", "darmiyan", "beech", "baare",
        "sirf", "ek", "ne", "aap", "ap", "tum", "iska", "uska", "inka", "unka", "isko", "usko", "koi", "kuch", "sab", "bohat",
        "bahut", "zyada", "wajah", "banate", "banayein", "chalate", "chalana", "chalayein", "likhna", "likhein", "dekhna",
    };

    /// <summary>The answer's language for the model: the requested one, else the question's.</summary>
    public string? AnswerLanguage => Requested ?? Script switch
    {
        QuestionScript.Urdu => "Urdu",
        QuestionScript.RomanUrdu => "Roman Urdu (Urdu written in Latin letters, as the reader wrote it)",
        _ => null,
    };

    /// <summary>True when retrieval needs the question in English first.</summary>
    public bool NeedsEnglish => Script != QuestionScript.English;

    /// <summary>Part of the answer cache's key: the same English question asked in Urdu gets an Urdu answer.</summary>
    public string CacheKey => $"{Script}:{Requested}";

    /// <summary>
    /// Says the book does not cover the question, in the answer's language, and, when the refusal lists the closest
    /// sections, points to them (a far question gets none: <see cref="AnswerSources.Refusal"/>).
    /// </summary>
    public string Refusal(bool offersSections) => AnswersInUrdu
        ? "یہ موضوع کتاب میں شامل نظر نہیں آتا۔ " + (offersSections ? "نیچے کتاب کے قریب ترین حصے دیے گئے ہیں؛ سوال" : "سوال") + " کو دوسرے الفاظ میں پوچھیں، یا کتاب کے کسی موضوع کے بارے میں پوچھیں۔"
        : Script == QuestionScript.RomanUrdu && Requested is null
            ? "Yeh mauzoo kitaab mein shamil nazar nahi aata. " + (offersSections ? "Neeche kitaab ke qareeb tareen hissay diye gaye hain; sawal" : "Sawal")
              + " doosre alfaaz mein poochein, ya kitaab ke kisi mauzoo ke baare mein poochein."
            : offersSections ? EnglishRefusal : EnglishRefusalWithoutSections;

    public const string EnglishRefusal =
        "The book does not seem to cover this. The closest sections are listed below; try rephrasing, or ask about a topic of the book.";

    public const string EnglishRefusalWithoutSections = "The book does not seem to cover this. Try rephrasing, or ask about a topic of the book.";

    /// <summary>An Urdu-script question none of whose words matched a word of the book (no English rewrite to search).</summary>
    public const string UrduNothingMatched =
        "اس سوال کا کوئی لفظ کتاب کے الفاظ سے نہیں ملا۔ کتاب انگریزی میں ہے: موضوع کا انگریزی نام لکھیں (جیسے ٹاپک، نوڈ، سروس، یو آر ڈی ایف)، یا سوال انگریزی میں پوچھیں۔\n\n" +
        "No word of this question matched a word of the book. The book is in English: name the topic by its English term " +
        "(in Urdu or Latin letters, such as topic, node, service or URDF), or ask in English.";

    /// <summary>The first line of an English answer to an Urdu question, found by the question's English loanwords.</summary>
    public static string EnglishAnswerNote(IEnumerable<string> loanwords)
        => $"کتاب انگریزی میں ہے؛ یہ جواب اس کے انگریزی متن سے ہے، سوال کے ان الفاظ سے تلاش کیا گیا: {string.Join("، ", loanwords)}۔";

    /// <summary>True when the answer is written right to left (Urdu, or a requested right-to-left language).</summary>
    public bool AnswerIsRtl => Requested is null
        ? Script == QuestionScript.Urdu
        : TargetLanguage.TryParse(Requested, out var requested) && requested.Rtl;

    /// <summary>True when the answer (and the refusal) should be in Urdu script.</summary>
    public bool AnswersInUrdu => Requested is null
        ? Script == QuestionScript.Urdu
        : TargetLanguage.TryParse(Requested, out var requested) && requested == TargetLanguage.Urdu;

    public static QuestionLanguage Detect(string question, string? requested)
    {
        int urdu = 0, latin = 0;
        foreach (var c in question)
        {
            if (TextAnalyzer.IsArabicScript(c) && char.IsLetter(c))
            {
                urdu++;
            }
            else if (char.IsAsciiLetter(c))
            {
                latin++;
            }
        }

        if (urdu > 0 && urdu >= (urdu + latin) * 0.3)
        {
            return new QuestionLanguage(QuestionScript.Urdu, requested);
        }

        var words = TextAnalyzer.Words(question).ToArray();
        var function = words.Where(RomanUrduWords.Contains).Distinct(StringComparer.OrdinalIgnoreCase).Count();
        return function >= 2 && function >= words.Length * 0.25
            ? new QuestionLanguage(QuestionScript.RomanUrdu, requested)
            : new QuestionLanguage(QuestionScript.English, requested);
    }

    /// <summary>A Roman-Urdu question without its Urdu function words: the English technical terms remain to search with.</summary>
    public static string WithoutRomanUrdu(string question)
        => string.Join(' ', TextAnalyzer.Words(question).Where(w => !RomanUrduWords.Contains(w)));

    /// <summary>An Urdu-script text's words for matching: optional diacritics removed, Urdu and English stop words dropped.</summary>
    public static IEnumerable<string> UrduTerms(string text) => TextAnalyzer.Terms(TextAnalyzer.WithoutArabicMarks(text));

    /// <summary>True when most letters of <paramref name="text"/> are Latin (a rewrite into English came back as English).</summary>
    public static bool IsMostlyLatin(string text)
        => text.Count(char.IsAsciiLetter) > text.Count(c => char.IsLetter(c) && !char.IsAsciiLetter(c));
}
