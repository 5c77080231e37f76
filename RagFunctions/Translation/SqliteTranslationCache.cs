using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using RagFunctions.Retrieval.VectorStore.Sqlite;

namespace RagFunctions.Translation;

/// <summary>
/// Translated sections in <c>&lt;RAG_DATA_DIR&gt;/translations.db</c>, next to the embedded index, so a restart keeps them.
/// A file of its own: the index can be rebuilt without losing translations (unchanged sections keep their hash).
/// </summary>
internal sealed class SqliteTranslationCache : ITranslationCache
{
    public const string FileName = "translations.db";

    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS translations (
            key TEXT PRIMARY KEY, language TEXT NOT NULL, model TEXT NOT NULL,
            translation TEXT NOT NULL, created_at TEXT NOT NULL);
        """;

    private readonly SqliteFile file;

    public SqliteTranslationCache(IOptions<SqliteStoreOptions> options)
        => file = new SqliteFile(Path.Combine(options.Value.DataDirectory, FileName), Schema);

    public string Provider => "sqlite";

    public string DatabasePath => file.Path;

    public async Task<string?> GetAsync(TranslationKey key, CancellationToken cancellationToken)
    {
        await using var connection = await file.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT translation FROM translations WHERE key = $key";
        command.Parameters.AddWithValue("$key", key.Value);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    public async Task<IReadOnlyList<CachedTranslation>> ListAsync(string language, CancellationToken cancellationToken)
    {
        await using var connection = await file.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT key, translation FROM translations WHERE language = $language";
        command.Parameters.AddWithValue("$language", language);
        var result = new List<CachedTranslation>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(CachedTranslation.FromKey(reader.GetString(0), reader.GetString(1)));
        }

        return result;
    }

    public Task SetAsync(TranslationKey key, string translation, CancellationToken cancellationToken)
    {
        return file.ExecuteWriteAsync(command =>
        {
            command.CommandText = """
                INSERT INTO translations (key, language, model, translation, created_at) VALUES ($key, $language, $model, $translation, $at)
                ON CONFLICT(key) DO UPDATE SET translation = excluded.translation, created_at = excluded.created_at
                """;
            command.Parameters.AddWithValue("$key", key.Value);
            command.Parameters.AddWithValue("$language", key.Language);
            command.Parameters.AddWithValue("$model", key.Model);
            command.Parameters.AddWithValue("$translation", translation);
            command.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        }, cancellationToken);
    }
}
