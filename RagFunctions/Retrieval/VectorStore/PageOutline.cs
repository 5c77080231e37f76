namespace RagFunctions.Retrieval.VectorStore;

/// <summary>A page of the index without its text: its title and its sections' URLs in reading order.</summary>
internal sealed record PageOutline(string PageUrl, string Title, IReadOnlyList<string> SectionUrls)
{
    /// <summary>
    /// Groups chunk rows (in any order) into pages ordered by URL; a page's title is its first chunk's
    /// (by <see cref="BookChunk.Position"/>, then id), as <see cref="IVectorStore.GetPageAsync"/> orders them.
    /// </summary>
    public static IReadOnlyList<PageOutline> FromRows(IEnumerable<OutlineRow> rows)
        => rows
            .GroupBy(r => r.PageUrl, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var ordered = g.OrderBy(r => r.Position).ThenBy(r => r.ChunkId, StringComparer.Ordinal).ToArray();
                return new PageOutline(g.Key, ordered[0].PageTitle, ordered.Select(r => r.Url).ToArray());
            })
            .ToArray();
}

/// <summary>The few fields of a chunk that <see cref="PageOutline.FromRows"/> needs.</summary>
internal readonly record struct OutlineRow(string PageUrl, string PageTitle, string Url, int Position, string ChunkId);
