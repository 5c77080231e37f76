using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace RagFunctions.Retrieval.VectorStore.Qdrant;

/// <summary>Qdrant store events: IDs 2100–2199. No keys, no chunk text.</summary>
internal static partial class QdrantLog
{
    [LoggerMessage(EventId = 2100, Level = LogLevel.Information,
        Message = "Created Qdrant collection {Collection} at {Endpoint} for {Embedding} (dense 'dense' cosine + sparse 'bm25' IDF)")]
    public static partial void CollectionCreated(ILogger logger, string collection, QdrantEndpoint endpoint, EmbeddingModelInfo embedding);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Created keyword payload index {Field} on Qdrant collection {Collection}")]
    public static partial void PayloadIndexCreated(ILogger logger, string field, string collection);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Recorded index metadata in Qdrant collection {Collection}: {Embedding}")]
    public static partial void MetadataRecorded(ILogger logger, string collection, EmbeddingModelInfo embedding);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Error, Message = "Qdrant collection {Collection} was built with {Built}; configured is {Configured}")]
    public static partial void IndexMismatch(ILogger logger, string collection, EmbeddingModelInfo built, EmbeddingModelInfo configured);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Debug, Message = "Wrote page {PageUrl}: {Upserted} chunks upserted, {Kept} kept")]
    public static partial void PageWritten(ILogger logger, string pageUrl, int upserted, int kept);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Information, Message = "Deleted {Count} pages from Qdrant collection {Collection}")]
    public static partial void PagesDeleted(ILogger logger, int count, string collection);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Debug, Message = "Qdrant {Mode} search returned {Hits} hits in {ElapsedMs} ms")]
    public static partial void Searched(ILogger logger, SearchMode mode, int hits, long elapsedMs);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Warning, Message = "Qdrant {Operation} at {Endpoint} failed with {Status}: {Reason}")]
    public static partial void CallFailed(ILogger logger, string operation, QdrantEndpoint endpoint, StatusCode status, string reason);

    [LoggerMessage(EventId = 2108, Level = LogLevel.Information, Message = "Marked Qdrant collection {Collection} as built at {BuiltAt:o}")]
    public static partial void BuiltMarked(ILogger logger, string collection, DateTimeOffset builtAt);

    [LoggerMessage(EventId = 2109, Level = LogLevel.Warning,
        Message = "QDRANT_API_KEY is sent in clear text to {Endpoint} over http://; use https:// for a Qdrant that is not on this host")]
    public static partial void KeyInClearText(ILogger logger, QdrantEndpoint endpoint);
}
