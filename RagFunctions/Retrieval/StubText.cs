using System.Text.RegularExpressions;
using RagFunctions.Retrieval.Text;
using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Retrieval;

/// <summary>
/// A stub is a passage that only promises content ("Content coming soon", "To be written"): it is indexed, since the
/// reader can open the page, but search never ranks it above a passage with real content.
/// </summary>
internal static partial class StubText
{
    /// <summary>Fewer words than this, besides the placeholder sentence and the title path line, and the passage is a stub.</summary>
    private const int MaxOtherWords = 12;

    /// <summary>True when <paramref name="chunkText"/> (a chunk's Text: title path line, then the text) holds a placeholder and little else.</summary>
    public static bool IsStub(string chunkText)
    {
        var newline = chunkText.IndexOf('\n', StringComparison.Ordinal);
        var body = newline < 0 ? chunkText : chunkText[(newline + 1)..];
        return Placeholder().IsMatch(body) && TextAnalyzer.Terms(Placeholder().Replace(body, " ")).Take(MaxOtherWords).Count() < MaxOtherWords;
    }

    /// <summary>Search hits with the stubs moved after every other hit, each group in its own order.</summary>
    public static IReadOnlyList<SearchHit> RealContentFirst(IReadOnlyList<SearchHit> hits)
        => hits.Any(h => IsStub(h.Chunk.Text)) ? [.. hits.OrderBy(h => IsStub(h.Chunk.Text))] : hits;

    [GeneratedRegex(
        @"[^.!?\n]*\b(coming soon|to be (added|written|completed|announced)|under construction|work in progress|placeholder|TBD|TODO)\b[^.!?\n]*[.!?]*",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
