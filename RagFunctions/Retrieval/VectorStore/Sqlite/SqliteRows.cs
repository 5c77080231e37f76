using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using RagFunctions.Hosting;
using static RagFunctions.Retrieval.VectorStore.Sqlite.SqliteDatabase;

namespace RagFunctions.Retrieval.VectorStore.Sqlite;

/// <summary>Rows of <c>index.db</c> (<see cref="SqliteSchema"/>) to and from <see cref="BookChunk"/>s and metadata.</summary>
internal static class SqliteRows
{
    public static async Task<Dictionary<long, BookChunk>> ReadChunksAsync(
        SqliteConnection connection, SqliteTransaction transaction, IEnumerable<long> keys, CancellationToken cancellationToken)
    {
        var chunks = new Dictionary<long, BookChunk>();
        var list = "[" + string.Join(',', keys.Select(k => k.ToString(CultureInfo.InvariantCulture))) + "]";
        if (list == "[]")
        {
            return chunks;
        }

        await using var command = Command(connection, transaction,
            $"SELECT {SqliteSchema.ChunkColumns} FROM chunks WHERE seq IN (SELECT value FROM json_each($keys))");
        command.Parameters.AddWithValue("$keys", list);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            chunks[reader.GetInt64(0)] = ReadChunk(reader);
        }

        return chunks;
    }

    /// <summary>Reads the columns of <see cref="SqliteSchema.ChunkColumns"/>.</summary>
    public static BookChunk ReadChunk(SqliteDataReader reader) => new(
        Id: reader.GetString(1),
        PageUrl: reader.GetString(2),
        Url: reader.GetString(3),
        PageTitle: reader.GetString(4),
        Heading: reader.GetString(5),
        Anchor: reader.GetString(6),
        TitlePath: JsonSerializer.Deserialize(reader.GetString(7), RagJsonContext.Default.StringArray) ?? [],
        Position: reader.GetInt32(8),
        Text: reader.GetString(9),
        Markdown: reader.GetString(10),
        ContentHash: reader.GetString(11));

    public static async Task UpsertAsync(
        SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<IndexedChunk> changed, CancellationToken cancellationToken)
    {
        await using var upsert = Command(connection, transaction, SqliteSchema.Upsert);
        var id = upsert.Parameters.Add("$id", SqliteType.Text);
        var pageUrl = upsert.Parameters.Add("$page_url", SqliteType.Text);
        var url = upsert.Parameters.Add("$url", SqliteType.Text);
        var pageTitle = upsert.Parameters.Add("$page_title", SqliteType.Text);
        var heading = upsert.Parameters.Add("$heading", SqliteType.Text);
        var anchor = upsert.Parameters.Add("$anchor", SqliteType.Text);
        var titlePath = upsert.Parameters.Add("$title_path", SqliteType.Text);
        var position = upsert.Parameters.Add("$position", SqliteType.Integer);
        var text = upsert.Parameters.Add("$text", SqliteType.Text);
        var markdown = upsert.Parameters.Add("$markdown", SqliteType.Text);
        var contentHash = upsert.Parameters.Add("$content_hash", SqliteType.Text);
        var vector = upsert.Parameters.Add("$vector", SqliteType.Blob);
        foreach (var (chunk, embedding) in changed)
        {
            id.Value = chunk.Id;
            pageUrl.Value = chunk.PageUrl;
            url.Value = chunk.Url;
            pageTitle.Value = chunk.PageTitle;
            heading.Value = chunk.Heading;
            anchor.Value = chunk.Anchor;
            titlePath.Value = JsonSerializer.Serialize(chunk.TitlePath.ToArray(), RagJsonContext.Default.StringArray);
            position.Value = chunk.Position;
            text.Value = chunk.Text;
            markdown.Value = chunk.Markdown;
            contentHash.Value = chunk.ContentHash;
            // Little-endian float32, as every platform .NET runs this app on lays floats out in memory.
            vector.Value = MemoryMarshal.AsBytes(embedding.Span).ToArray();
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public static EmbeddingModelInfo? BuiltWith(Dictionary<string, object> meta)
        => meta.GetValueOrDefault(SqliteSchema.Keys.EmbeddingModel) is string model
           && meta.GetValueOrDefault(SqliteSchema.Keys.EmbeddingDimensions) is { } dimensions
            ? new EmbeddingModelInfo(model, Convert.ToInt32(dimensions, CultureInfo.InvariantCulture))
            : null;

    public static DateTimeOffset? BuiltAt(Dictionary<string, object> meta)
        => meta.GetValueOrDefault(SqliteSchema.Keys.BuiltAt) is string value
           && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var builtAt)
            ? builtAt
            : null;

    public static async Task<Dictionary<string, object>> ReadMetaAsync(
        SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, "SELECT key, value FROM meta");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var meta = new Dictionary<string, object>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            meta[reader.GetString(0)] = reader.GetValue(1);
        }

        return meta;
    }

    public static async Task SetMetaAsync(
        SqliteConnection connection, SqliteTransaction transaction, string key, object value, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction,
            "INSERT INTO meta (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$value", value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
