using System.Runtime.CompilerServices;
using System.Text;
using RagFunctions.Retrieval.Text;
using RagFunctions.Retrieval.Vocabulary;

namespace RagFunctions.Chat;

/// <summary>
/// Finds the book's English words in an Urdu-script question without a language model. Students write the book's
/// technical terms as English loanwords in Urdu script (ٹاپک, نوڈ, سروس, سمولیشن) and spell out acronyms letter by
/// letter (یو آر ڈی ایف). Each word is transliterated with a small letter map into a consonant skeleton
/// ("ٹاپک" → t·p·k) and matched against the skeletons of the indexed book's own words ("topic" → t·p·k); of the book
/// words that share a skeleton, the one closest in spelling to the transliteration (vowels filled in: "tapk" → "topic")
/// wins, then the most used. A small glossary covers common Urdu technical words that are not loanwords (جوڑ → joint).
/// </summary>
/// <remarks>
/// The letter map: ب b, پ p, ت ٹ ط t, ث س ص s, ج j, چ ch, خ ق ک k, د ڈ d, ذ ز ض ظ z, ر ڑ r, ش sh, غ گ g, ف f, ل l,
/// م m, ن ں n (ژ as sh, as "vision" sounds); و is v or a vowel (o, u), ی is y or a vowel (i, e), both are tried; ا آ ے ئ ء ع ہ ھ ح are vowels, hamza
/// or aspiration and leave no consonant. English words are reduced the same way: vowels and h dropped, c as k (s before
/// e, i, y), -tion as sh·n, ph as f, w as v, q as k, x as k·s, doubled letters as one.
/// </remarks>
internal static class UrduLoanwords
{
    /// <summary>Common Urdu words for the book's subjects that are not loanwords, and loanwords the letter map misses.</summary>
    private static readonly Dictionary<string, string> Glossary = Folded(new Dictionary<string, string>
    {
        ["سینسر"] = "sensor", ["سینسرز"] = "sensors", ["روبوٹ"] = "robot", ["روبوٹس"] = "robots", ["جوڑ"] = "joint", ["جوڑوں"] = "joints",
        ["بازو"] = "arm", ["ہاتھ"] = "hand", ["ٹانگ"] = "leg", ["ٹانگیں"] = "legs", ["توازن"] = "balance", ["چلنا"] = "walking",
        ["نقشہ"] = "map", ["راستہ"] = "path", ["رکاوٹ"] = "obstacle", ["رکاوٹوں"] = "obstacles", ["حفاظت"] = "safety",
        ["رفتار"] = "velocity", ["قوت"] = "force", ["طاقت"] = "power", ["پیغام"] = "message", ["پیغامات"] = "messages",
        ["تصویر"] = "image", ["کیمرہ"] = "camera", ["فاصلہ"] = "distance", ["گہرائی"] = "depth", ["وزن"] = "mass",
        ["مرکز"] = "center", ["کشش"] = "gravity", ["انسان"] = "human", ["زبان"] = "language", ["فائل"] = "file",
        ["پیکج"] = "package", ["پیکیج"] = "package", ["ٹو"] = "2", ["ٹاپکس"] = "topics", ["نوڈز"] = "nodes",
        ["ہدف"] = "goal", ["منصوبہ"] = "planning", ["ترتیب"] = "configuration", ["غلطی"] = "error", ["پکڑنا"] = "grasp",
    });

    /// <summary>Everyday Urdu words whose consonants happen to spell a word of the book (کام, work, is k·m as "com" is).</summary>
    private static readonly HashSet<string> NativeWords = Folded(new[]
    {
        "کام", "لکھتے", "لکھیں", "لکھنا", "لکھا", "بناتے", "بنائیں", "بنانا", "بنتا", "بنا", "چلاتے", "چلائیں", "چلانا", "چلتا", "رکھتے",
        "رکھیں", "رکھنا", "رکھا", "کیسا", "کیسی", "سمجھ", "مطلب", "جواب", "سوال", "صرف", "آج", "کل", "اب", "یہاں", "وہاں", "ہوگا",
        "ہوگی", "چیز", "چیزیں", "چیزوں", "بہت", "زیادہ", "کم", "پہلے", "بعد", "دوسرے", "ضرورت", "شروع", "ٹھیک", "لگتا", "دیکھیں",
        "دیکھنا", "پڑھیں", "حل", "مسئلہ", "موسم", "لاہور", "کراچی", "پاکستان", "کرنے", "کرے", "ہوں", "سکتے", "ملتا", "کرواتے",
    }.Select(w => (w, "")).ToDictionary()).Keys.ToHashSet(StringComparer.Ordinal);

    /// <summary>Latin letters as Urdu writes their names, for acronyms spelled out: آر او ایس → ros.</summary>
    private static readonly Dictionary<string, char> LetterNames = Folded(new Dictionary<string, char>
    {
        ["اے"] = 'a', ["بی"] = 'b', ["سی"] = 'c', ["ڈی"] = 'd', ["ای"] = 'e', ["ایف"] = 'f', ["جی"] = 'g', ["ایچ"] = 'h',
        ["آئی"] = 'i', ["جے"] = 'j', ["کے"] = 'k', ["ایل"] = 'l', ["ایم"] = 'm', ["این"] = 'n', ["او"] = 'o', ["پی"] = 'p',
        ["کیو"] = 'q', ["آر"] = 'r', ["ایس"] = 's', ["ٹی"] = 't', ["یو"] = 'u', ["وی"] = 'v', ["ڈبلیو"] = 'w', ["ایکس"] = 'x',
        ["وائی"] = 'y', ["زیڈ"] = 'z',
    });

    private static readonly ConditionalWeakTable<SpellingCorrector, Dictionary<string, List<string>>> Skeletons = new();

    /// <summary>
    /// The English words of the book the question names, in its order, with the Latin words it already has (corrected
    /// later like any English question). Empty when no word matched.
    /// </summary>
    public static IReadOnlyList<string> Match(string question, SpellingCorrector book)
    {
        var index = Skeletons.GetValue(book, BuildIndex);
        var words = TextAnalyzer.Words(TextAnalyzer.WithoutArabicMarks(question)).ToArray();
        var found = new List<string>();
        for (var i = 0; i < words.Length; i++)
        {
            var word = words[i];
            if (Acronym(words, i, book) is { } acronym)
            {
                found.Add(acronym.Word);
                i += acronym.Length - 1;
                continue;
            }

            if (!word.Any(c => TextAnalyzer.IsArabicScript(c)))
            {
                if (word.Any(char.IsAsciiLetter) || word.All(char.IsAsciiDigit))
                {
                    found.Add(word);
                }

                continue;
            }

            if (Glossary.TryGetValue(word, out var english))
            {
                found.Add(english);
            }
            else if (!StopWords.Contains(word) && !NativeWords.Contains(word) && Loanword(word, index, book) is { } loanword)
            {
                found.Add(loanword);
            }
        }

        return found.Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The book word an Urdu-script word transliterates to, or null.</summary>
    internal static string? Loanword(string word, Dictionary<string, List<string>> index, SpellingCorrector book)
    {
        string? best = null;
        int bestDistance = int.MaxValue, bestCount = 0, bestLength = 0;
        foreach (var (skeleton, spelt) in Readings(word))
        {
            if (skeleton.Length < 2 || !index.TryGetValue(skeleton, out var candidates))
            {
                continue;
            }

            foreach (var candidate in candidates)
            {
                var distance = EditDistance.Restricted(spelt, EnglishSpelt(candidate), 12);
                var count = book.Count(candidate);
                if (distance < bestDistance || distance == bestDistance && count > bestCount)
                {
                    (best, bestDistance, bestCount, bestLength) = (candidate, distance, count, skeleton.Length);
                }
            }
        }

        // Two consonants say little ("کیسا", how, is k·s as "case" is): those must be spelt almost alike.
        var allowed = bestLength <= 2 ? 1 : Math.Max(2, (best?.Length ?? 0) / 2);
        return best is not null && bestDistance <= allowed ? best : null;
    }

    /// <summary>The English word's consonant skeleton: "topic" → "tpk", "simulation" → "smlSn", "service" → "srvs".</summary>
    internal static string EnglishSkeleton(string word)
    {
        var spelt = EnglishSounds(word);
        var skeleton = new StringBuilder();
        for (var i = 0; i < spelt.Length; i++)
        {
            var c = spelt[i];
            if ("aeiouh".Contains(c, StringComparison.Ordinal) || c == 'y' && i > 0)
            {
                continue;
            }

            Append(skeleton, c);
        }

        return skeleton.ToString();
    }

    /// <summary>
    /// The Urdu word's possible readings, each its consonant skeleton and its spelling with vowels (و as v or o, ی as y
    /// or i): "سروس" → (srs, soros)… (srvs, sarvs)…; "ٹاپک" → (tpk, tapk).
    /// </summary>
    internal static IEnumerable<(string Skeleton, string Spelt)> Readings(string word)
    {
        var choices = word.Count(c => c is 'و' or 'ی' or 'ي');
        var combinations = 1 << Math.Min(choices, 4);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var mask = 0; mask < combinations; mask++)
        {
            var skeleton = new StringBuilder();
            var spelt = new StringBuilder();
            var choice = 0;
            foreach (var c in word)
            {
                if (c is 'و' or 'ی' or 'ي')
                {
                    var consonant = choice < 4 && (mask >> choice & 1) == 1;
                    choice++;
                    if (consonant)
                    {
                        Append(skeleton, c == 'و' ? 'v' : 'y');
                        spelt.Append(c == 'و' ? 'v' : 'y');
                    }
                    else
                    {
                        spelt.Append(c == 'و' ? 'o' : 'i');
                    }

                    continue;
                }

                spelt.Append(Spelt(c));
                if (Consonant(c) is { } letter)
                {
                    Append(skeleton, letter);
                }
            }

            if (seen.Add(skeleton + "|" + spelt))
            {
                yield return (skeleton.ToString(), spelt.ToString());
            }
        }
    }

    /// <summary>An Urdu letter in Latin letters, vowels written: ا a, ی i, ے e, ش sh, چ ch; hamza, ع, ہ and ھ nothing.</summary>
    private static string Spelt(char c) => c switch
    {
        'ا' or 'آ' or 'أ' => "a",
        'و' => "o",
        'ی' or 'ي' or 'ى' or 'ئ' => "i",
        'ے' or 'ۓ' => "e",
        'ش' => "sh",
        'چ' => "ch",
        _ => Consonant(c) is { } letter ? letter.ToString() : "",
    };

    /// <summary>The English word as it sounds, in the letters the Urdu map uses: "service" → "servise", "action" → "akshn".</summary>
    private static string EnglishSpelt(string word)
        => EnglishSounds(word).Replace("C", "ch", StringComparison.Ordinal).Replace("S", "sh", StringComparison.Ordinal);

    /// <summary>As <see cref="EnglishSpelt"/>, with "ch" and "sh" as one letter each (C, S).</summary>
    private static string EnglishSounds(string word)
    {
        var text = word.ToLowerInvariant()
            .Replace("tion", "shn", StringComparison.Ordinal).Replace("sion", "shn", StringComparison.Ordinal)
            .Replace("ph", "f", StringComparison.Ordinal).Replace("ck", "k", StringComparison.Ordinal)
            .Replace("qu", "k", StringComparison.Ordinal).Replace("th", "t", StringComparison.Ordinal)
            .Replace("x", "ks", StringComparison.Ordinal).Replace('w', 'v').Replace('q', 'k');
        var spelt = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var next = i + 1 < text.Length ? text[i + 1] : ' ';
            spelt.Append(c switch
            {
                'c' when next == 'h' => 'C',
                'c' => next is 'e' or 'i' or 'y' ? 's' : 'k',
                'g' when next is 'e' or 'i' or 'y' && (i + 2 >= text.Length || "aeiou".Contains(text[i + 2], StringComparison.Ordinal)) => 'j',
                's' when next == 'h' => 'S',
                _ => c,
            });
            if (c is 'c' or 's' && next == 'h')
            {
                i++;
            }
        }

        return spelt.ToString();
    }

    private static char? Consonant(char c) => c switch
    {
        'ب' => 'b',
        'پ' => 'p',
        'ت' or 'ٹ' or 'ط' => 't',
        'ث' or 'س' or 'ص' => 's',
        'ج' => 'j',
        'چ' => 'C',
        'خ' or 'ق' or 'ک' or 'ك' => 'k',
        'د' or 'ڈ' => 'd',
        'ذ' or 'ز' or 'ض' or 'ظ' => 'z',
        'ش' or 'ژ' => 'S',
        'ر' or 'ڑ' => 'r',

        'غ' or 'گ' => 'g',
        'ف' => 'f',
        'ل' => 'l',
        'م' => 'm',
        'ن' or 'ں' => 'n',
        _ => null,
    };

    /// <summary>Appends a letter of a skeleton, a doubled one once ("ll" → "l"); "sh" and "ch" are one letter (S, C).</summary>
    private static void Append(StringBuilder skeleton, char c)
    {
        if (skeleton.Length == 0 || skeleton[^1] != c)
        {
            skeleton.Append(c);
        }
    }

    /// <summary>The longest run of spelled-out letters from <paramref name="start"/> that makes a word of the book.</summary>
    private static (string Word, int Length)? Acronym(string[] words, int start, SpellingCorrector book)
    {
        var letters = new StringBuilder();
        for (var i = start; i < words.Length && LetterNames.TryGetValue(words[i], out var letter); i++)
        {
            letters.Append(letter);
        }

        for (var length = letters.Length; length >= 2; length--)
        {
            var candidate = letters.ToString(0, length);
            if (book.Knows(candidate))
            {
                return (candidate, length);
            }
        }

        return null;
    }

    /// <summary>The entries keyed by their words as the analyzer reads them from a question (marks removed, folded).</summary>
    private static Dictionary<string, T> Folded<T>(Dictionary<string, T> entries)
        => entries.ToDictionary(e => TextAnalyzer.Words(TextAnalyzer.WithoutArabicMarks(e.Key)).Single(), e => e.Value, StringComparer.Ordinal);

    private static Dictionary<string, List<string>> BuildIndex(SpellingCorrector book)
    {
        var index = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var word in book.WordList)
        {
            if (word.Length >= 3 && word.All(char.IsAsciiLetterLower) && !StopWords.Contains(word))
            {
                var skeleton = EnglishSkeleton(word);
                (index.TryGetValue(skeleton, out var known) ? known : index[skeleton] = []).Add(word);
            }
        }

        return index;
    }
}
