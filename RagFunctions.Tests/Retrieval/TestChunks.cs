using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Tests.Retrieval;

/// <summary>Small hand-made chunks and vectors for store tests: 8 dimensions, so a test can say which chunk is nearest.</summary>
internal static class TestChunks
{
    public const int Dimensions = 8;

    public static EmbeddingModelInfo Model { get; } = new("test-embedding", Dimensions);

    public static string PageUrl(string name) => $"https://example.github.io/Book/docs/{name}";

    public static BookChunk Chunk(
        string id,
        string text,
        string page = "intro",
        int position = 0,
        string? heading = null,
        string? hash = null)
    {
        var pageUrl = PageUrl(page);
        var anchor = heading is null ? "" : heading.ToLowerInvariant().Replace(' ', '-');
        return new BookChunk(
            Id: id,
            PageUrl: pageUrl,
            Url: anchor.Length == 0 ? pageUrl : $"{pageUrl}#{anchor}",
            PageTitle: $"Chapter {page}",
            Heading: heading ?? $"Chapter {page}",
            Anchor: anchor,
            TitlePath: heading is null ? [$"Chapter {page}"] : [$"Chapter {page}", heading],
            Position: position,
            Text: text,
            Markdown: $"## {heading ?? page}\n\n{text}",
            ContentHash: hash ?? $"hash-{id}-{text.GetHashCode(StringComparison.Ordinal):x8}");
    }

    /// <summary><paramref name="values"/> (the rest zeros) scaled to unit length.</summary>
    public static float[] Vector(params float[] values)
    {
        var vector = new float[Dimensions];
        values.CopyTo(vector, 0);
        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        return norm == 0 ? vector : vector.Select(v => v / norm).ToArray();
    }

    /// <summary>The unit vector along axis <paramref name="axis"/>, negated when <paramref name="sign"/> is negative.</summary>
    public static float[] Axis(int axis, float sign = 1)
    {
        var vector = new float[Dimensions];
        vector[axis] = Math.Sign(sign);
        return vector;
    }

    /// <summary>A unit vector whose cosine with axis 0 is exactly <paramref name="cosine"/> (the rest along <paramref name="otherAxis"/>).</summary>
    public static float[] AtCosine(double cosine, int otherAxis = 1)
    {
        var vector = new float[Dimensions];
        vector[0] = (float)cosine;
        vector[otherAxis] = (float)Math.Sqrt(1 - (cosine * cosine));
        return vector;
    }

    public static IndexedChunk With(this BookChunk chunk, float[] vector) => new(chunk, vector);

    /// <summary>A page write that keeps exactly these chunks.</summary>
    public static PageWrite Page(params IndexedChunk[] chunks)
        => new(chunks[0].Chunk.PageUrl, chunks, chunks.Select(c => c.Chunk.Id).ToArray());

    public static SearchRequest Search(
        string text, float[]? vector = null, int limit = 5, SearchMode mode = SearchMode.Hybrid, string? page = null)
        => new(vector ?? Axis(0), text, limit, mode, page is null ? null : PageUrl(page));
}
