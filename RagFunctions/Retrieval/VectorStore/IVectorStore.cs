using RagFunctions.Hosting;
using RagFunctions.Retrieval.Text;

namespace RagFunctions.Retrieval.VectorStore;

/// <summary>
/// The index of the book: chunks with their embeddings and text, searchable by meaning and by keyword.
/// Two implementations: SQLite (embedded, the default) and Qdrant (when <c>QDRANT_URL</c> is set).
/// </summary>
internal interface IVectorStore
{
    /// <summary>Which store this is, for health and logs ("sqlite", "qdrant").</summary>
    string Provider { get; }

    /// <summary>The index's name (<c>COLLECTION_NAME</c>, from the store's options): the Qdrant collection, or the SQLite index.</summary>
    string Collection { get; }

    /// <summary>
    /// Creates what is missing (schema, collection, indexes) and checks that an existing index was built
    /// with <paramref name="embedding"/>'s model and dimension; throws <see cref="IndexMismatchException"/> if not.
    /// </summary>
    Task EnsureReadyAsync(EmbeddingModelInfo embedding, CancellationToken cancellationToken);

    /// <summary>Content hashes of a page's chunks, by chunk id: what ingestion compares to skip unchanged chunks.</summary>
    Task<IReadOnlyDictionary<string, string>> GetChunkHashesAsync(string pageUrl, CancellationToken cancellationToken);

    /// <summary>
    /// Brings one page to its new state: writes <see cref="PageWrite.Changed"/> (new or changed chunks, with vectors)
    /// and deletes every chunk of the page whose id is not in <see cref="PageWrite.KeepIds"/>.
    /// Readers never see half a page where the store can promise it (SQLite: one transaction).
    /// </summary>
    Task WritePageAsync(PageWrite page, CancellationToken cancellationToken);

    /// <summary>Deletes every chunk of these pages.</summary>
    Task DeletePagesAsync(IReadOnlyCollection<string> pageUrls, CancellationToken cancellationToken);

    /// <summary>Every page URL in the index.</summary>
    Task<IReadOnlyList<string>> GetPageUrlsAsync(CancellationToken cancellationToken);

    /// <summary>Every page's title and section URLs, read in one query (or one scroll): what the book catalog needs.</summary>
    Task<IReadOnlyList<PageOutline>> GetOutlineAsync(CancellationToken cancellationToken);

    /// <summary>A page's chunks in reading order (by <see cref="BookChunk.Position"/>), vectors not included.</summary>
    Task<IReadOnlyList<BookChunk>> GetPageAsync(string pageUrl, CancellationToken cancellationToken);

    /// <summary>Dense, keyword or hybrid (reciprocal rank fusion) search, best first.</summary>
    Task<IReadOnlyList<SearchHit>> SearchAsync(SearchRequest request, CancellationToken cancellationToken);

    /// <summary>Counts and the embedding model that built the index.</summary>
    Task<IndexStats> GetStatsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// One cheap call that needs the store to answer (for Qdrant, authenticated): what health reports. A failure the
    /// operator can act on is the probe's <see cref="StoreProbe.Error"/>, not an exception.
    /// </summary>
    Task<StoreProbe> ProbeAsync(CancellationToken cancellationToken);

    /// <summary>Records that an ingestion finished now (for health: "when the index was last built").</summary>
    Task MarkBuiltAsync(DateTimeOffset builtAt, CancellationToken cancellationToken);
}

/// <summary>The embedding model an index is built with.</summary>
internal sealed record EmbeddingModelInfo(string Model, int Dimensions)
{
    public override string ToString() => $"{Model} ({Dimensions}-d)";
}

/// <summary>One searchable piece of the book.</summary>
/// <param name="Id">Stable id: the same page, section and part give the same id on every ingest.</param>
/// <param name="PageUrl">Absolute page URL without fragment.</param>
/// <param name="Url">Absolute URL with the section's <c>#anchor</c> (the page URL for the page's lead text).</param>
/// <param name="PageTitle">The page (chapter) title.</param>
/// <param name="Heading">The section heading; the page title for the text before the first heading.</param>
/// <param name="Anchor">The heading's anchor, empty for the lead text.</param>
/// <param name="TitlePath">Chapter › section path, outermost first.</param>
/// <param name="Position">Order of the chunk in the page, from 0.</param>
/// <param name="Text">Plain text used for search and answers: the title path line (<see cref="PathLine"/>), then its parts apart by
/// <see cref="PartSeparator"/> (it may start with a little overlap from the previous part).</param>
/// <param name="Markdown">The chunk's own slice of the page source, without overlap; the page is these slices in order.</param>
/// <param name="ContentHash">Hash of everything above that the embedding or the answer depends on.</param>
internal sealed record BookChunk(
    string Id,
    string PageUrl,
    string Url,
    string PageTitle,
    string Heading,
    string Anchor,
    IReadOnlyList<string> TitlePath,
    int Position,
    string Text,
    string Markdown,
    string ContentHash)
{
    /// <summary>Joins the title path in the first line of every chunk's Text.</summary>
    public const string PathSeparator = " › ";

    /// <summary>What stands between the parts of a chunk's Text (the title path line, the overlap, the paragraphs).</summary>
    public const string PartSeparator = "\n\n";

    /// <summary>The Text after the title path line: what the section says.</summary>
    public string Body
    {
        get
        {
            var path = PathLine(TitlePath);
            return !Text.StartsWith(path, StringComparison.Ordinal) ? Text
                : Text.AsSpan(path.Length).StartsWith(PartSeparator, StringComparison.Ordinal) ? Text[(path.Length + PartSeparator.Length)..]
                : Text[path.Length..];
        }
    }

    /// <summary>
    /// Whether the section's own heading names the subject and nothing else ("Nodes" or "What is a Node?" for a ROS 2
    /// node, not "Lifecycle Nodes"); a page's opening, headed by the page title, never is.
    /// </summary>
    /// <param name="subject">Terms (<see cref="TextAnalyzer.Terms"/>).</param>
    public bool IsHeadedWith(IReadOnlyCollection<string> subject)
        => OwnHeadingTerms is { Count: > 0 } named && named.All(subject.Contains);

    /// <summary>The terms (<see cref="TextAnalyzer.Terms"/>) of the section's own heading; none for a page's opening, headed by the page title.</summary>
    public IReadOnlyList<string> OwnHeadingTerms => Heading == PageTitle ? [] : TextAnalyzer.Terms(Heading).ToArray();

    /// <summary>A chunk's title path as the first line of its text: "Page › Section › Subsection".</summary>
    public static string PathLine(IReadOnlyList<string> titlePath) => string.Join(PathSeparator, titlePath);
}

/// <summary>A chunk to write, with its embedding.</summary>
internal sealed record IndexedChunk(BookChunk Chunk, ReadOnlyMemory<float> Vector);

/// <param name="Changed">New or changed chunks of the page.</param>
/// <param name="KeepIds">Every chunk id the page has now (changed and unchanged); the rest are deleted.</param>
internal sealed record PageWrite(string PageUrl, IReadOnlyList<IndexedChunk> Changed, IReadOnlyCollection<string> KeepIds);

internal enum SearchMode
{
    Hybrid,
    Dense,
    Keyword,
}

/// <param name="Vector">The query's embedding (needed for dense and hybrid).</param>
/// <param name="Text">The query's text (needed for keyword and hybrid).</param>
/// <param name="PageUrl">Only chunks of this page, when set.</param>
internal sealed record SearchRequest(ReadOnlyMemory<float> Vector, string Text, int Limit, SearchMode Mode = SearchMode.Hybrid, string? PageUrl = null);

/// <param name="Score">Higher is better; for hybrid the fused score, for dense the cosine similarity, for keyword the BM25-style score.</param>
/// <param name="DenseScore">Cosine similarity of the chunk to the query when it was in the dense candidates.</param>
internal sealed record SearchHit(BookChunk Chunk, double Score, double? DenseScore = null);

internal sealed record IndexStats(long Chunks, long Pages, EmbeddingModelInfo? Embedding, DateTimeOffset? BuiltAt);

/// <summary>The index was built with another embedding model or dimension than the one configured.</summary>
internal sealed class IndexMismatchException(EmbeddingModelInfo built, EmbeddingModelInfo configured)
    : ServiceFailureException(503, "Index built with another model", Describe(built, configured), Describe(built, configured))
{
    public EmbeddingModelInfo Built { get; } = built;

    public EmbeddingModelInfo Configured { get; } = configured;

    /// <summary>Model names and dimensions only: safe for any reader, and exactly what the operator needs.</summary>
    private static string Describe(EmbeddingModelInfo built, EmbeddingModelInfo configured)
        => $"Index built with {built} but configured model is {configured} — re-index (delete the index and run ingest).";
}
