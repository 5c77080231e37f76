using System.Text.RegularExpressions;
using RagFunctions.Retrieval.Text;
using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Chat;

/// <summary>
/// Where a reader's selection is: a text holds it when it has the selection's opening words in the same order (case,
/// punctuation and markup aside). Other sections that share most of its words, but say them otherwise ("Named channel:
/// Topics have names like /cmd_vel" for "A topic is a named channel …"), are what explains it, not the selection itself.
/// </summary>
internal static partial class SelectedText
{
    private static readonly HashSet<string> Articles = new(StringComparer.Ordinal) { "a", "an", "the" };

    /// <summary>The most words a selection's subject has ("A topic is …", "The zero moment point is …").</summary>
    private const int SubjectWords = 4;

    /// <summary>How many of the selection's first words must appear in order: enough to be that sentence, few enough to survive a selection that runs on past the chunk.</summary>
    private const int Opening = 10;

    /// <summary>The share of a sentence's words that, found in the selection, make the sentence a repetition of it.</summary>
    private const double RepeatedShare = 0.8;

    public static bool IsIn(string selected, string text)
    {
        var opening = string.Join(' ', TextAnalyzer.Words(selected).Take(Opening));
        return opening.Length > 0 && $" {string.Join(' ', TextAnalyzer.Words(text))} ".Contains($" {opening} ", StringComparison.Ordinal);
    }

    /// <summary>Whether the sentence says again what the selection says (most of its words are the selection's).</summary>
    public static bool Repeats(string selected, string sentence)
    {
        var words = TextAnalyzer.Words(sentence).ToArray();
        var chosen = TextAnalyzer.Words(selected).ToHashSet(StringComparer.Ordinal);
        return words.Length > 0 && words.Count(chosen.Contains) >= RepeatedShare * words.Length;
    }

    /// <summary>
    /// What the selection is about, when it opens by saying what something is ("A topic is …" → "topic"), and the
    /// question asked of the sections headed with it: "this" (or "it", "this paragraph") stands for it ("Explain topic in
    /// simpler words", "What does topic mean?"), so the question is read as asked ("explain", "mean", "an example").
    /// </summary>
    public static (string Subject, string Question)? AboutItsSubject(string question, string selected)
    {
        if (SubjectOf(selected) is not { } subject)
        {
            return null;
        }

        return (subject, Deictic().IsMatch(question) ? Deictic().Replace(question, subject, 1) : $"{question.TrimEnd('?', '.', '!', ' ')} about {subject}?");
    }

    /// <summary>
    /// Whether the chunk's own heading names the subject's last word ("What is a Topic?", "Topics", "Topic Characteristics"
    /// for "topic"): looser than <see cref="BookChunk.IsHeadedWith"/>, since any section about the subject may explain it.
    /// </summary>
    public static bool HeadingNames(BookChunk chunk, string subject)
        => TextAnalyzer.Terms(subject).LastOrDefault() is { } head && chunk.OwnHeadingTerms.Contains(head, StringComparer.Ordinal);

    /// <summary>What the selection says something is: the words before "is", "are", "defines" … at its start, without an article.</summary>
    private static string? SubjectOf(string selected)
    {
        var words = TextAnalyzer.Words(SentenceSplitter.Split(selected).FirstOrDefault() ?? "").Take(SubjectWords + 2).ToArray();
        var start = words.Length > 0 && Articles.Contains(words[0]) ? 1 : 0;
        var verb = Array.FindIndex(words, start, ExtractiveAnswerer.Copulas.Contains);
        return verb > start && verb - start <= SubjectWords ? string.Join(' ', words[start..verb]) : null;
    }

    [GeneratedRegex(@"\b(?:this|that|it|these|those)\b(?:\s+(?:passage|text|sentence|paragraph|part|section|line|definition|statement|concept|term))?", RegexOptions.IgnoreCase)]
    private static partial Regex Deictic();
}
