using Microsoft.Extensions.Logging;

namespace RagFunctions.Retrieval.VectorStore.Sqlite;

/// <summary>The vector store's log lines: event ids 2000–2099.</summary>
internal static partial class SqliteStoreLog
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information,
        Message = "SQLite index '{IndexName}' ready at {Path}: {Chunks} chunks, built with {Embedding}")]
    public static partial void IndexReady(ILogger logger, string indexName, string path, long chunks, EmbeddingModelInfo embedding);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information,
        Message = "New SQLite index '{IndexName}' at {Path} records embedding model {Embedding}")]
    public static partial void ModelRecorded(ILogger logger, string indexName, string path, EmbeddingModelInfo embedding);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Debug,
        Message = "Loaded {Count} vectors ({Dimensions}-d) into memory in {ElapsedMs} ms at index version {Version}")]
    public static partial void VectorsLoaded(ILogger logger, int count, int dimensions, long elapsedMs, long version);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Debug,
        Message = "Wrote page {PageUrl}: {Upserted} chunks written, {Deleted} deleted")]
    public static partial void PageWritten(ILogger logger, string pageUrl, int upserted, int deleted);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information,
        Message = "Deleted {Chunks} chunks of {Pages} pages")]
    public static partial void PagesDeleted(ILogger logger, int chunks, int pages);
}
