using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf.Collections;
using Qdrant.Client.Grpc;
using static Qdrant.Client.Grpc.Conditions;

namespace RagFunctions.Retrieval.VectorStore.Qdrant;

/// <summary>
/// The book collection's schema: vector and payload names, and how a <see cref="BookChunk"/> becomes a point and back.
/// </summary>
/// <remarks>
/// Points: one per chunk, id = the chunk id when it is a UUID (else a name-based UUID of it); the payload holds every
/// <see cref="BookChunk"/> field, <c>title_path</c> as a list and <c>position</c> as an integer.
/// </remarks>
internal static class QdrantPoints
{
    public const string DenseVectorName = "dense";
    public const string SparseVectorName = "bm25";

    /// <summary>The metadata point's id. Chunk ids are random or name-based UUIDs, never nil.</summary>
    public static readonly Guid MetadataPointId = Guid.Empty;

    /// <summary>
    /// The Qdrant point id of a chunk id: the UUID itself when it is one (the ingestion's ids are), otherwise a
    /// name-based UUID (SHA-1 of the id, RFC 4122 version 5 layout) so any stable id maps to one stable point.
    /// </summary>
    public static Guid PointGuid(string chunkId)
    {
        if (Guid.TryParse(chunkId, out var guid))
        {
            return guid;
        }

        var hash = SHA1.HashData(Encoding.UTF8.GetBytes("ragfunctions:chunk:" + chunkId));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    /// <summary>
    /// Index metadata (embedding model, dimension, last build): one vector-less point at <see cref="MetadataPointId"/>.
    /// A named-vector map with no entries is the one way Qdrant accepts a point without vectors.
    /// </summary>
    public static PointStruct MetadataPoint(EmbeddingModelInfo embedding) => new()
    {
        Id = MetadataPointId,
        Vectors = new Vectors { Vectors_ = new NamedVectors() },
        Payload =
        {
            [Payload.Kind] = "index_metadata",
            [Payload.EmbeddingModel] = embedding.Model,
            [Payload.EmbeddingDimensions] = (long)embedding.Dimensions,
        },
    };

    public static IndexMetadata ReadMetadata(MapField<string, Value> payload)
    {
        var model = Text(payload, Payload.EmbeddingModel);
        var dimensions = payload.TryGetValue(Payload.EmbeddingDimensions, out var d) ? (int)Integer(d) : 0;
        var builtAt = DateTimeOffset.TryParse(Text(payload, Payload.BuiltAt), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : (DateTimeOffset?)null;
        return new IndexMetadata(model.Length > 0 && dimensions > 0 ? new EmbeddingModelInfo(model, dimensions) : null, builtAt);
    }

    public static Filter PageFilter(string pageUrl) => new() { Must = { MatchKeyword(Payload.PageUrl, pageUrl) } };

    public static Filter WithoutMetadata() => new() { MustNot = { HasId(MetadataPointId) } };

    public static PointStruct ToPoint(IndexedChunk indexed)
    {
        var chunk = indexed.Chunk;
        var vectors = new Dictionary<string, Vector> { [DenseVectorName] = indexed.Vector.ToArray() };
        var terms = Bm25SparseEncoder.EncodeDocument(chunk.Text);
        if (!terms.IsEmpty)
        {
            vectors[SparseVectorName] = (terms.Values, terms.Indices);
        }

        return new PointStruct
        {
            Id = PointGuid(chunk.Id),
            Vectors = vectors,
            Payload =
            {
                [Payload.ChunkId] = chunk.Id,
                [Payload.PageUrl] = chunk.PageUrl,
                [Payload.Url] = chunk.Url,
                [Payload.PageTitle] = chunk.PageTitle,
                [Payload.Heading] = chunk.Heading,
                [Payload.Anchor] = chunk.Anchor,
                [Payload.TitlePath] = chunk.TitlePath.ToArray(),
                [Payload.Position] = (long)chunk.Position,
                [Payload.Text] = chunk.Text,
                [Payload.Markdown] = chunk.Markdown,
                [Payload.ContentHash] = chunk.ContentHash,
            },
        };
    }

    public static BookChunk ToChunk(PointId id, MapField<string, Value> payload) => new(
        ChunkId(id, payload),
        Text(payload, Payload.PageUrl),
        Text(payload, Payload.Url),
        Text(payload, Payload.PageTitle),
        Text(payload, Payload.Heading),
        Text(payload, Payload.Anchor),
        payload.TryGetValue(Payload.TitlePath, out var path) && path.KindCase == Value.KindOneofCase.ListValue
            ? path.ListValue.Values.Select(v => v.StringValue).ToArray()
            : [],
        Position(payload),
        Text(payload, Payload.Text),
        Text(payload, Payload.Markdown),
        Text(payload, Payload.ContentHash));

    public static string ChunkId(PointId id, MapField<string, Value> payload)
    {
        var stored = Text(payload, Payload.ChunkId);
        return stored.Length > 0 ? stored : id.HasUuid ? id.Uuid : id.Num.ToString(CultureInfo.InvariantCulture);
    }

    public static int Position(MapField<string, Value> payload)
        => payload.TryGetValue(Payload.Position, out var position) ? (int)Integer(position) : 0;

    public static string Text(MapField<string, Value> payload, string key)
        => payload.TryGetValue(key, out var value) && value.KindCase == Value.KindOneofCase.StringValue ? value.StringValue : "";

    public static long Integer(Value value) => value.KindCase switch
    {
        Value.KindOneofCase.IntegerValue => value.IntegerValue,
        Value.KindOneofCase.DoubleValue => (long)value.DoubleValue,
        _ => 0,
    };

    /// <summary>Payload field names: the collection's schema, shared with anything else that reads it.</summary>
    public static class Payload
    {
        public const string ChunkId = "chunk_id";
        public const string PageUrl = "page_url";
        public const string Url = "url";
        public const string PageTitle = "page_title";
        public const string Heading = "heading";
        public const string Anchor = "anchor";
        public const string TitlePath = "title_path";
        public const string Position = "position";
        public const string Text = "text";
        public const string Markdown = "markdown";
        public const string ContentHash = "content_hash";

        public const string Kind = "kind";
        public const string EmbeddingModel = "embedding_model";
        public const string EmbeddingDimensions = "embedding_dimensions";
        public const string BuiltAt = "built_at";
    }
}

/// <summary>What the metadata point records; <see cref="Embedding"/> is null until the first ingest records it.</summary>
internal sealed record IndexMetadata(EmbeddingModelInfo? Embedding, DateTimeOffset? BuiltAt);
