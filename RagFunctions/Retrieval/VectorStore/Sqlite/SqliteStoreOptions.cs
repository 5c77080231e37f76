using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using RagFunctions.Hosting;

namespace RagFunctions.Retrieval.VectorStore.Sqlite;

/// <summary>
/// Where the embedded index lives: <c>&lt;RAG_DATA_DIR&gt;/index.db</c>.
/// <c>COLLECTION_NAME</c> names the index inside the file (recorded in its metadata), not the file.
/// </summary>
internal sealed class SqliteStoreOptions
{
    public const string DefaultDataDir = "./data";
    public const string DefaultIndexName = "book";
    public const string DatabaseFileName = "index.db";

    [ConfigurationKeyName(EnvironmentVariables.DataDir)]
    public string? DataDir { get; set; }

    [ConfigurationKeyName(EnvironmentVariables.CollectionName)]
    public string? CollectionName { get; set; }

    /// <summary>How long a write waits for another process's write to finish before giving up.</summary>
    internal TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Not configuration: a stand-in for a full disk in tests. When set, every connection caps the file at this many
    /// pages (<c>PRAGMA max_page_count</c>), so a write that would grow it fails with SQLITE_FULL, as on a full disk.
    /// Raise it to give the disk room again (a lower value than the file's size is read as the file's size).
    /// </summary>
    internal long? MaxPageCount { get; set; }

    /// <summary><see cref="DataDir"/> (or <c>./data</c>) as a full path, resolved against the current directory.</summary>
    public string DataDirectory => Path.GetFullPath(string.IsNullOrWhiteSpace(DataDir) ? DefaultDataDir : DataDir.Trim());

    public string DatabasePath => Path.Combine(DataDirectory, DatabaseFileName);

    public string IndexName => string.IsNullOrWhiteSpace(CollectionName) ? DefaultIndexName : CollectionName.Trim();
}

/// <summary>
/// Creates the data folder and checks that it can be written, so a bad <c>RAG_DATA_DIR</c> stops the app at start
/// rather than at the first ingest.
/// </summary>
internal sealed class SqliteStoreOptionsValidator : IValidateOptions<SqliteStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, SqliteStoreOptions options)
    {
        string directory;
        try
        {
            directory = options.DataDirectory;
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return ValidateOptionsResult.Fail($"{EnvironmentVariables.DataDir} must be a folder path; '{options.DataDir}' is not ({ex.Message}).");
        }

        try
        {
            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, $".write-check-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return ValidateOptionsResult.Success;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return ValidateOptionsResult.Fail(
                $"{EnvironmentVariables.DataDir} must be a folder this process can create and write; '{directory}' is not ({ex.Message}).");
        }
    }
}
