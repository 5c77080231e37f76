using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RagFunctions.Retrieval.VectorStore;
using RagFunctions.Retrieval.VectorStore.Sqlite;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Retrieval;

public sealed class SqliteStoreOptionsTests
{
    [Fact]
    public void Defaults_DataFolderUnderTheCurrentDirectoryAndIndexNamedBook()
    {
        var options = new SqliteStoreOptions();

        Assert.Equal(Path.GetFullPath("data"), options.DataDirectory.TrimEnd(Path.DirectorySeparatorChar));
        Assert.Equal(Path.Combine(options.DataDirectory, "index.db"), options.DatabasePath);
        Assert.Equal("book", options.IndexName);
    }

    [Fact]
    public void Validate_MissingFolder_CreatesIt()
    {
        var directory = Path.Combine(TempDirectory.Create(), "nested", "data");

        var result = new SqliteStoreOptionsValidator().Validate(null, new SqliteStoreOptions { DataDir = directory });

        Assert.True(result.Succeeded);
        Assert.True(Directory.Exists(directory));
        Assert.Empty(Directory.EnumerateFileSystemEntries(directory));
    }

    [Fact]
    public void Validate_AFileInTheWay_FailsNamingTheVariable()
    {
        var file = Path.Combine(TempDirectory.Create(), "not-a-folder");
        File.WriteAllText(file, "x");

        var result = new SqliteStoreOptionsValidator().Validate(null, new SqliteStoreOptions { DataDir = Path.Combine(file, "data") });

        Assert.True(result.Failed);
        Assert.Contains("RAG_DATA_DIR", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void AddStorage_NoStoreConfigured_RegistersTheSqliteStoreFromTheEnvironmentNames()
    {
        var directory = TempDirectory.Create();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["RAG_DATA_DIR"] = directory, ["COLLECTION_NAME"] = "physics" })
            .Build();
        var services = new ServiceCollection().AddLogging();

        services.AddStorage(configuration);
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var store = Assert.IsType<SqliteVectorStore>(provider.GetRequiredService<IVectorStore>());
        Assert.Same(store, provider.GetRequiredService<IVectorStore>());
        Assert.Equal("sqlite", store.Provider);
        Assert.Equal(Path.Combine(directory, "index.db"), store.DatabasePath);
        Assert.Equal("physics", provider.GetRequiredService<IOptions<SqliteStoreOptions>>().Value.IndexName);
        Assert.Equal(StorageKind.Sqlite, StorageChoice.From(configuration).Kind);
        Assert.Equal(StorageKind.Sqlite, provider.GetRequiredService<StorageChoice>().Kind);
    }

    [Fact]
    public void AddStorage_UnwritableDataDir_FailsAtStartNamingTheVariable()
    {
        var file = Path.Combine(TempDirectory.Create(), "file");
        File.WriteAllText(file, "x");
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["RAG_DATA_DIR"] = file })
            .Build();
        using var provider = new ServiceCollection().AddLogging().AddStorage(configuration).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SqliteStoreOptions>>().Value);

        Assert.Contains("RAG_DATA_DIR", ex.Message, StringComparison.Ordinal);
    }
}
