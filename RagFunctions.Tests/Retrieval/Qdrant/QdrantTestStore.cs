using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Qdrant.Client;
using RagFunctions.Retrieval.VectorStore;
using RagFunctions.Retrieval.VectorStore.Qdrant;
using RagFunctions.Tests.Fakes;

namespace RagFunctions.Tests.Retrieval.Qdrant;

/// <summary>A <see cref="QdrantVectorStore"/> wired to a Qdrant (the double, or a real one) through the real client.</summary>
internal sealed class QdrantTestStore : IDisposable
{
    public QdrantTestStore(string url, string? apiKey = null, string collection = "book", TimeSpan? timeout = null)
    {
        Options = new QdrantStoreOptions
        {
            Url = url,
            ApiKey = apiKey,
            CollectionName = collection,
            GrpcTimeout = timeout ?? QdrantStoreOptions.DefaultGrpcTimeout,
        };
        Client = QdrantServiceCollectionExtensions.CreateClient(Options);
        Store = new QdrantVectorStore(Client, Microsoft.Extensions.Options.Options.Create(Options), NullLogger<QdrantVectorStore>.Instance);
    }

    public QdrantStoreOptions Options { get; }

    public QdrantClient Client { get; }

    public QdrantVectorStore Store { get; }

    public static QdrantTestStore For(QdrantDouble qdrant, string? apiKey = null, string collection = "book", TimeSpan? timeout = null)
        => new(qdrant.Url, apiKey ?? qdrant.ApiKey, collection, timeout);

    public void Dispose() => Client.Dispose();
}

/// <summary>Small, hand-checkable book data: 4-d embeddings and short texts.</summary>
internal static class BookData
{
    public const int Dimensions = 4;

    public static readonly EmbeddingModelInfo Embedding = new("test-embed", Dimensions);

    public const string Intro = "https://book.example/docs/intro";
    public const string Nodes = "https://book.example/docs/ros2/nodes";
    public const string Sensors = "https://book.example/docs/sensors";

    /// <summary>A chunk with a UUID id derived from page and position, as ingestion makes them.</summary>
    public static BookChunk Chunk(string pageUrl, int position, string text, string? heading = null)
    {
        var anchor = position == 0 ? "" : $"part-{position}";
        var title = pageUrl[(pageUrl.LastIndexOf('/') + 1)..];
        return new BookChunk(
            Id: StableGuid($"{pageUrl}|{position}").ToString(),
            PageUrl: pageUrl,
            Url: anchor.Length == 0 ? pageUrl : $"{pageUrl}#{anchor}",
            PageTitle: title,
            Heading: heading ?? (position == 0 ? title : $"Part {position}"),
            Anchor: anchor,
            TitlePath: position == 0 ? [title] : [title, $"Part {position}"],
            Position: position,
            Text: text,
            Markdown: $"## Part {position}\n\n{text}",
            ContentHash: Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16]);
    }

    public static IndexedChunk Indexed(BookChunk chunk, params float[] vector) => new(chunk, vector);

    public static PageWrite Page(string pageUrl, params IndexedChunk[] chunks)
        => new(pageUrl, chunks, chunks.Select(c => c.Chunk.Id).ToArray());

    public static Guid StableGuid(string name)
    {
        var hash = MD5.HashData(Encoding.UTF8.GetBytes(name));
        return new Guid(hash);
    }
}
