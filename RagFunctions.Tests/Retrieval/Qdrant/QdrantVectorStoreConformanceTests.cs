using RagFunctions.Retrieval.VectorStore;
using RagFunctions.Tests.Fakes;

namespace RagFunctions.Tests.Retrieval.Qdrant;

/// <summary>
/// The conformance suite on the Qdrant store, through the real Qdrant.Client over gRPC to the wire-level double.
/// The double runs like Qdrant Cloud: an API key is required and strict mode refuses filters on unindexed fields.
/// </summary>
public sealed class QdrantVectorStoreConformanceTests : VectorStoreConformanceTests
{
    private readonly List<QdrantTestStore> stores = [];
    private QdrantDouble? qdrant;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var store in stores)
        {
            store.Dispose();
        }

        if (qdrant is not null)
        {
            await qdrant.DisposeAsync();
        }
    }

    private protected override async Task<IVectorStore> CreateStoreAsync(EmbeddingModelInfo embedding)
    {
        qdrant ??= await QdrantDouble.StartAsync(apiKey: "conformance-key", cancellationToken: Cancel);
        qdrant.StrictMode = true;
        var store = QdrantTestStore.For(qdrant, collection: $"book_{stores.Count}");
        stores.Add(store);
        return store.Store;
    }
}

/// <summary>
/// The conformance suite against a real Qdrant, opt-in: set <c>QDRANT_TEST_URL</c> (gRPC, e.g. http://localhost:6334)
/// and, for a server with a key, <c>QDRANT_API_KEY</c>. Each test uses its own collection and deletes it afterwards.
/// </summary>
public sealed class RealQdrantConformanceTests : VectorStoreConformanceTests
{
    public const string UrlVariable = "QDRANT_TEST_URL";

    private readonly List<QdrantTestStore> stores = [];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var store in stores)
        {
            try
            {
                await store.Client.DeleteCollectionAsync(store.Options.Collection, cancellationToken: CancellationToken.None);
            }
            finally
            {
                store.Dispose();
            }
        }
    }

    private protected override Task<IVectorStore> CreateStoreAsync(EmbeddingModelInfo embedding)
    {
        var url = Environment.GetEnvironmentVariable(UrlVariable);
        if (string.IsNullOrWhiteSpace(url))
        {
            Assert.Skip($"{UrlVariable} not set");
        }

        var store = new QdrantTestStore(url, Environment.GetEnvironmentVariable("QDRANT_API_KEY"), collection: $"ragfunctions_test_{Guid.NewGuid():N}");
        stores.Add(store);
        return Task.FromResult<IVectorStore>(store.Store);
    }
}
