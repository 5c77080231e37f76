using Microsoft.Data.Sqlite;
using RagFunctions.Ingestion;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Faults;

/// <summary>
/// What an embedded index holds, page by page, as "chunk id content hash" lines (sorted), and what a clean ingest of a
/// docs folder would hold: the same chunker the ingestion uses, without the embeddings.
/// </summary>
internal static class IndexContents
{
    public static Dictionary<string, string[]> Read(string databasePath)
    {
        using var connection = Open(databasePath);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT page_url, id, content_hash FROM chunks";
        using var reader = command.ExecuteReader();
        var rows = new List<(string Page, string Chunk)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), $"{reader.GetString(1)} {reader.GetString(2)}"));
        }

        return rows.GroupBy(r => r.Page, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(r => r.Chunk).Order(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
    }

    public static Dictionary<string, string[]> Expected(string docsFolder)
    {
        var chunker = new Chunker();
        return SampleBook.Read(docsFolder).ToDictionary(
            page => page.PageUrl,
            page => chunker.Chunk(page, ChunkingOptions.Default).Select(c => $"{c.Id} {c.ContentHash}").Order(StringComparer.Ordinal).ToArray(),
            StringComparer.Ordinal);
    }

    /// <summary>Pages with at least one chunk; 0 while the file or its tables do not exist yet (or are busy).</summary>
    public static int PagesIn(string databasePath)
    {
        try
        {
            using var connection = Open(databasePath);
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(DISTINCT page_url) FROM chunks";
            return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (SqliteException)
        {
            return 0;
        }
    }

    public static string Scalar(string databasePath, string sql)
    {
        using var connection = Open(databasePath);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    /// <summary>Its own connection, not pooled: it lets go of the file when disposed.</summary>
    private static SqliteConnection Open(string databasePath)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }
}
