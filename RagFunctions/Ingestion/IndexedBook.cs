namespace RagFunctions.Ingestion;

/// <summary>What a set of page URLs says about the book an index holds: its address, and whether another set is the same book.</summary>
internal static class IndexedBook
{
    /// <summary>
    /// The longest common prefix of the page URLs that ends with <c>/</c> (the site and docs route, e.g.
    /// <c>https://example.org/book/docs/</c>); empty when there are none.
    /// </summary>
    public static string BaseUrlOf(IEnumerable<string> pageUrls)
    {
        string? prefix = null;
        foreach (var url in pageUrls)
        {
            var withSlash = url.EndsWith('/') ? url : url + "/";
            if (prefix is null)
            {
                prefix = withSlash;
                continue;
            }

            var length = 0;
            while (length < prefix.Length && length < withSlash.Length && prefix[length] == withSlash[length])
            {
                length++;
            }

            prefix = prefix[..length];
        }

        if (string.IsNullOrEmpty(prefix))
        {
            return "";
        }

        var slash = prefix.LastIndexOf('/');
        return slash < 0 ? "" : prefix[..(slash + 1)];
    }

    /// <summary>
    /// True when writing <paramref name="incoming"/> would replace another book: the index holds pages and fewer than half
    /// of them are pages of <paramref name="incoming"/> (an edit of the same book keeps most of its URLs).
    /// </summary>
    public static bool IsAnotherBook(IReadOnlyCollection<string> indexed, IReadOnlyCollection<string> incoming)
    {
        if (indexed.Count == 0)
        {
            return false;
        }

        var next = incoming.ToHashSet(StringComparer.Ordinal);
        return indexed.Count(next.Contains) * 2 < indexed.Count;
    }
}
