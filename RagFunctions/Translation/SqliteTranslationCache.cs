using Microsoft.Extensions.Options;
using RagFunctions.Retrieval.VectorStore.Sqlite;

namespace RagFunctions.Translation;

/// <summary>
/// Translated sections in <c>&lt;RAG_DATA_DIR&gt;/translations.db</c>, next to the embedded index, so a restart keeps them.
/// A file of its own: the index can be rebuilt without losing translations (unchanged sections keep their hash).
/// </summary>
internal sealed class SqliteTranslationCache : ITranslationCache, IDisposable
{
    public const string FileName = "translations.db";

    private static readonly SqliteSchemaDefinition Schema = new("translation cache", 1, """
        CREATE TABLE IF NOT EXISTS translations (
            key TEXT PRIMARY KEY, language TEXT NOT NULL, model TEXT NOT NULL,
            translation TEXT NOT NULL, created_at TEXT NOT NULL);
        """, "delete it (sections are translated again when asked for)", "restart the app");

    private readonly SqliteDatabase database;

    public SqliteTranslationCache(IOptions<SqliteStoreOptions> options)
        => database = new SqliteDatabase(Path.Combine(options.Value.DataDirectory, FileName), Schema, options.Value);

    public string Provider => "sqlite";

    public string DatabasePath => database.Path;

    public Task<string?> GetAsync(TranslationKey key, CancellationToken cancellationToken)
        => database.ReadAsync(async connection =>
        {
            await using var command = SqliteDatabase.Command(connection, null, "SELECT translation FROM translations WHERE key = $key");
            command.Parameters.AddWithValue("$key", key.Value);
            return await command.ExecuteScalarAsync(cancellationToken) as string;
        }, cancellationToken);

    public Task<IReadOnlyList<CachedTranslation>> ListAsync(string language, CancellationToken cancellationToken)
        => database.ReadAsync<IReadOnlyList<CachedTranslation>>(async connection =>
        {
            await using var command = SqliteDatabase.Command(connection, null, "SELECT key, translation FROM translations WHERE language = $language");
            command.Parameters.AddWithValue("$language", language);
            var result = new List<CachedTranslation>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                result.Add(CachedTranslation.FromKey(reader.GetString(0), reader.GetString(1)));
            }

            return result;
        }, cancellationToken);

    public Task SetAsync(TranslationKey key, string translation, CancellationToken cancellationToken)
    {
        return database.ExecuteAsync(
            """
            INSERT INTO translations (key, language, model, translation, created_at) VALUES ($key, $language, $model, $translation, $at)
            ON CONFLICT(key) DO UPDATE SET translation = excluded.translation, created_at = excluded.created_at
            """,
            parameters =>
            {
                parameters.AddWithValue("$key", key.Value);
                parameters.AddWithValue("$language", key.Language);
                parameters.AddWithValue("$model", key.Model);
                parameters.AddWithValue("$translation", translation);
                parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            },
            cancellationToken);
    }

    public void Dispose() => database.Dispose();
}
