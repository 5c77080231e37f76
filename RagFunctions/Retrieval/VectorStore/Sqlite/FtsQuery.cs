using RagFunctions.Retrieval.Text;

namespace RagFunctions.Retrieval.VectorStore.Sqlite;

/// <summary>
/// Turns a reader's question into an FTS5 query that cannot be read as FTS5 syntax: the question's content words
/// (<see cref="TextAnalyzer.ContentWords"/>: letters, numbers and combining marks of any script, NFKC, lower case,
/// stop words out), each quoted, joined with <c>OR</c>. Quotes, <c>*</c>, <c>NEAR(</c>, <c>-</c>, <c>:</c> and the like
/// never reach <c>MATCH</c>: they are separators. A quoted word is a phrase to FTS5, which cuts it with the index's
/// own tokenizer, so a word the index holds as two tokens (<c>create_publisher</c>, or a word with marks unicode61
/// treats as separators) is found as those two tokens in a row.
/// </summary>
internal static class FtsQuery
{
    /// <summary>More words than this add cost, not recall.</summary>
    public const int MaxTerms = 32;

    /// <summary>The query's search words, in order of first appearance, without duplicates.</summary>
    public static IReadOnlyList<string> Terms(string? text)
        => [.. TextAnalyzer.ContentWords(text).Distinct(StringComparer.Ordinal).Take(MaxTerms)];

    /// <summary>The FTS5 <c>MATCH</c> expression, or null when the text has no search words.</summary>
    public static string? Build(string? text)
    {
        var terms = Terms(text);
        return terms.Count == 0 ? null : string.Join(" OR ", terms.Select(t => "\"" + t + "\""));
    }
}
