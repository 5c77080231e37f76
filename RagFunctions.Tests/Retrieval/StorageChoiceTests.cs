using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RagFunctions.Feedback;
using RagFunctions.Retrieval.VectorStore;
using RagFunctions.Retrieval.VectorStore.Qdrant;
using RagFunctions.Retrieval.VectorStore.Sqlite;
using RagFunctions.Tests.Support;
using RagFunctions.Translation;

namespace RagFunctions.Tests.Retrieval;

/// <summary>One decision puts the index, the translation cache and the feedback in the same storage.</summary>
public sealed class StorageChoiceTests
{
    [Fact]
    public void AddStorage_NoQdrantUrl_PutsEveryStoreInSqlite()
    {
        using var provider = Compose(new Dictionary<string, string?> { ["RAG_DATA_DIR"] = TempDirectory.Create() });

        Assert.Equal(StorageKind.Sqlite, provider.GetRequiredService<StorageChoice>().Kind);
        Assert.IsType<SqliteVectorStore>(provider.GetRequiredService<IVectorStore>());
        Assert.IsType<SqliteTranslationCache>(provider.GetRequiredService<ITranslationCache>());
        Assert.IsType<SqliteFeedbackStore>(provider.GetRequiredService<IFeedbackStore>());
    }

    [Fact]
    public void AddStorage_QdrantUrl_PutsEveryStoreInQdrant()
    {
        using var provider = Compose(new Dictionary<string, string?> { ["QDRANT_URL"] = "http://localhost:6334", ["COLLECTION_NAME"] = "handbook" });

        Assert.Equal(StorageKind.Qdrant, provider.GetRequiredService<StorageChoice>().Kind);
        Assert.IsType<QdrantVectorStore>(provider.GetRequiredService<IVectorStore>());
        Assert.Equal("handbook_translations", Assert.IsType<QdrantTranslationCache>(provider.GetRequiredService<ITranslationCache>()).Collection);
        Assert.Equal("handbook_feedback", Assert.IsType<QdrantFeedbackStore>(provider.GetRequiredService<IFeedbackStore>()).Collection);
    }

    private static ServiceProvider Compose(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging()
            .AddStorage(configuration)
            .AddTranslation(configuration)
            .AddFeedback(configuration)
            .BuildServiceProvider();
    }
}
