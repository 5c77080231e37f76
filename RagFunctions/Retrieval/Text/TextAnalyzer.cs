using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace RagFunctions.Retrieval.Text;

/// <summary>
/// The one way this app cuts text into words, for everything that matches words: keyword search (the SQLite FTS
/// query, Qdrant's BM25 vectors), extractive answers, the evidence gate, spelling correction and Urdu matching.
/// <list type="bullet">
/// <item>NFKC first: full-width "ＲＯＳ２" is "ROS2", the ligature "ﬁ" is "fi", a decomposed "é" is one letter.</item>
/// <item>A word is a run of letters, numbers and <c>_</c> (<c>create_publisher</c> stays whole), read rune by rune so
/// letters outside the Basic Multilingual Plane stay whole and emoji, lone surrogates and punctuation separate words.
/// Combining marks inside a word belong to it: Urdu diacritics and Devanagari vowel signs are part of the word.
/// A run with no letter or number ("___") is not a word; nor is a run longer than <see cref="MaxWordLength"/>
/// (a hash, base64).</item>
/// <item>Lower case (invariant), rune by rune.</item>
/// <item><see cref="StopWords"/> (English and Urdu) out for <see cref="ContentWords"/>; <see cref="Terms"/> also drops
/// one-letter words and stems English ones lightly.</item>
/// </list>
/// </summary>
internal static partial class TextAnalyzer
{
    /// <summary>Longer runs are not words (hashes, base64): they are dropped.</summary>
    public const int MaxWordLength = 64;

    /// <summary>Every word of the text, folded, in text order (stop words included).</summary>
    public static IEnumerable<string> Words(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var normalized = Normalize(text);
        return WordSpans(normalized).Select(span => FoldRunes(normalized.AsSpan(span.Start, span.Length)));
    }

    /// <summary>The words without stop words: what keyword search looks for.</summary>
    public static IEnumerable<string> ContentWords(string? text) => Words(text).Where(w => !StopWords.Contains(w));

    /// <summary>Terms for lexical scoring: content words of two letters or more, English ones stemmed ("nodes" and "node" meet).</summary>
    public static IEnumerable<string> Terms(string? text) => ContentWords(text).Where(w => !IsOneRune(w)).Select(Stem);

    /// <summary>One word (or any text) normalised and lower-cased as <see cref="Words"/> folds words.</summary>
    public static string Fold(string text) => FoldRunes(Normalize(text));

    /// <summary>
    /// The text (NFKC) with each word for which <paramref name="replace"/> (given the folded word) returns a string
    /// replaced by it; every other character kept as written.
    /// </summary>
    public static string ReplaceWords(string text, Func<string, string?> replace)
    {
        var normalized = Normalize(text);
        var result = new StringBuilder(normalized.Length);
        var at = 0;
        foreach (var (start, length) in WordSpans(normalized))
        {
            result.Append(normalized, at, start - at);
            var word = normalized.AsSpan(start, length);
            if (replace(FoldRunes(word)) is { } replacement)
            {
                result.Append(replacement);
            }
            else
            {
                result.Append(word);
            }

            at = start + length;
        }

        return result.Append(normalized, at, normalized.Length - at).ToString();
    }

    /// <summary>
    /// The text with each camelCase name followed by its words: "What does bracketSpacing control?" → "What does
    /// bracketSpacing (bracket spacing) control?". A reader asks about an option by the name they type in code, while
    /// the book heads its section in words ("Bracket Spacing") and explains it in words ("Print spaces between
    /// brackets"); the name itself is kept, for the books that write it as it is ("toBeCloseTo").
    /// </summary>
    public static string SpellOutNames(string text)
        => CamelCaseName().Replace(text, name => $"{name.Value} ({string.Join(' ', NameParts(name.Value))})");

    /// <summary>The camelCase names in the text, folded, each with its words ("bracketSpacing" → "bracket", "spacing").</summary>
    public static IEnumerable<(string Name, string[] Parts)> CamelCaseNames(string text)
        => CamelCaseName().Matches(text).Select(name => (Fold(name.Value), NameParts(name.Value)));

    private static string[] NameParts(string name) => CamelHump().Split(name).Select(Fold).ToArray();

    /// <summary>
    /// The text without Arabic-script diacritics (zer, zabar, pesh, the izafat hamza …): they are optional in Urdu
    /// writing, so "ٹاپِک" and "ٹاپک" are one word when matching Urdu. Other scripts' marks are kept.
    /// </summary>
    public static string WithoutArabicMarks(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var rune in SafeNormalize(text, NormalizationForm.FormD).EnumerateRunes())
        {
            if (!(IsMark(rune) && IsArabicScript(rune.Value)))
            {
                builder.Append(rune.ToString());
            }
        }

        return SafeNormalize(builder.ToString(), NormalizationForm.FormC);
    }

    /// <summary>A light English stemmer: package and packages, running and run meet. Other scripts are left alone.</summary>
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

    /// <summary>The words' positions in <paramref name="normalized"/> text (see <see cref="Normalize"/>).</summary>
    private static List<(int Start, int Length)> WordSpans(string normalized)
    {
        var spans = new List<(int Start, int Length)>();
        int start = -1, i = 0;
        var hasLetterOrNumber = false;
        while (i < normalized.Length)
        {
            // A lone surrogate decodes as U+FFFD (a symbol): it separates words.
            Rune.DecodeFromUtf16(normalized.AsSpan(i), out var rune, out var consumed);
            var isLetterOrNumber = Rune.IsLetter(rune) || Rune.IsNumber(rune);
            if (isLetterOrNumber || rune.Value == '_' || (start >= 0 && IsMark(rune)))
            {
                start = start < 0 ? i : start;
                hasLetterOrNumber |= isLetterOrNumber;
            }
            else
            {
                AddSpan(spans, start, i, hasLetterOrNumber);
                (start, hasLetterOrNumber) = (-1, false);
            }

            i += consumed;
        }

        AddSpan(spans, start, normalized.Length, hasLetterOrNumber);
        return spans;
    }

    private static void AddSpan(List<(int Start, int Length)> spans, int start, int end, bool hasLetterOrNumber)
    {
        if (start >= 0 && hasLetterOrNumber && end - start <= MaxWordLength)
        {
            spans.Add((start, end - start));
        }
    }

    private static string FoldRunes(ReadOnlySpan<char> text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            builder.Append(Rune.ToLowerInvariant(rune).ToString());
        }

        return builder.ToString();
    }

    private static string Normalize(string text) => SafeNormalize(text, NormalizationForm.FormKC);

    /// <summary>Normalises; a lone surrogate (which <see cref="string.Normalize(NormalizationForm)"/> refuses) becomes U+FFFD first.</summary>
    private static string SafeNormalize(string text, NormalizationForm form)
    {
        try
        {
            return text.IsNormalized(form) ? text : text.Normalize(form);
        }
        catch (ArgumentException)
        {
            var valid = new StringBuilder(text.Length);
            foreach (var rune in text.EnumerateRunes())
            {
                valid.Append(rune.ToString());
            }

            return valid.ToString().Normalize(form);
        }
    }

    private static bool IsMark(Rune rune) => Rune.GetUnicodeCategory(rune)
        is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

    /// <summary>True for a code point of the Arabic script's blocks (Urdu is written in it).</summary>
    public static bool IsArabicScript(int codePoint)
        => codePoint is >= 0x0600 and <= 0x06FF or >= 0x0750 and <= 0x077F or >= 0x08A0 and <= 0x08FF or >= 0xFB50 and <= 0xFDFF or >= 0xFE70 and <= 0xFEFF;

    private static bool IsOneRune(string word) => word.Length == 1 || word.Length == 2 && char.IsSurrogatePair(word[0], word[1]);

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

    /// <summary>
    /// A lower-case word with one or more capitalised words joined on ("bracketSpacing"), not a member ("jest.doMock",
    /// "window.matchMedia": an API a book names as it is).
    /// </summary>
    [GeneratedRegex(@"(?<![.\w])[a-z][a-z0-9]*(?:[A-Z][a-z0-9]+)+\b")]
    private static partial Regex CamelCaseName();

    [GeneratedRegex("(?<=[a-z0-9])(?=[A-Z])")]
    private static partial Regex CamelHump();
}
