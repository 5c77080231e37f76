using Grpc.Core;
using RagFunctions.Retrieval.VectorStore;
using RagFunctions.Tests.Fakes;
using static RagFunctions.Tests.Retrieval.Qdrant.BookData;

namespace RagFunctions.Tests.Retrieval.Qdrant;

/// <summary>gRPC failures become <see cref="VectorStoreException"/>s that say what to fix, and never show the key.</summary>
public sealed class QdrantStoreErrorTests
{
    private const string Key = "qk-3f9a1c7e5b";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnyCall_ServerGone_SaysUnreachableAndAsksAboutThePort()
    {
        var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        var url = qdrant.Url;
        var port = qdrant.Port;
        await qdrant.DisposeAsync();
        using var t = new QdrantTestStore(url);

        var error = await Assert.ThrowsAsync<VectorStoreException>(() => t.Store.EnsureReadyAsync(Embedding, Cancel));

        Assert.Equal($"Qdrant unreachable at 127.0.0.1:{port} (is it gRPC 6334?)", error.Message);
        Assert.Equal(StatusCode.Unavailable, Assert.IsType<RpcException>(error.InnerException).StatusCode);
    }

    [Fact]
    public async Task AnyCall_ServerAnswersUnavailable_SaysUnreachable()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        using var t = QdrantTestStore.For(qdrant);
        qdrant.FailWith(StatusCode.Unavailable, "Service unavailable");

        var error = await Assert.ThrowsAsync<VectorStoreException>(() => t.Store.GetPageUrlsAsync(Cancel));

        Assert.Equal($"Qdrant unreachable at 127.0.0.1:{qdrant.Port} (is it gRPC 6334?)", error.Message);
    }

    [Fact]
    public async Task AnyCall_ServerNeverAnswers_TimesOutAtTheConfiguredDeadline()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        using var t = QdrantTestStore.For(qdrant, timeout: TimeSpan.FromMilliseconds(300));
        qdrant.Hang();

        var error = await Assert.ThrowsAsync<VectorStoreException>(
            () => t.Store.SearchAsync(new SearchRequest(new float[] { 1, 0, 0, 0 }, "nodes", 3), Cancel));

        Assert.StartsWith($"Qdrant connection timeout after 0.3 s at 127.0.0.1:{qdrant.Port}", error.Message, StringComparison.Ordinal);
        Assert.Equal(StatusCode.DeadlineExceeded, Assert.IsType<RpcException>(error.InnerException).StatusCode);
    }

    [Fact]
    public async Task AnyCall_WrongKey_SaysTheKeyWasRejectedWithoutShowingIt()
    {
        await using var qdrant = await QdrantDouble.StartAsync(apiKey: "the-right-one", cancellationToken: Cancel);
        using var t = QdrantTestStore.For(qdrant, apiKey: Key);

        var error = await Assert.ThrowsAsync<VectorStoreException>(() => t.Store.EnsureReadyAsync(Embedding, Cancel));

        Assert.StartsWith("Qdrant rejected the API key (QDRANT_API_KEY)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, error.ToString(), StringComparison.Ordinal);
        Assert.Equal(StatusCode.Unauthenticated, Assert.IsType<RpcException>(error.InnerException).StatusCode);
    }

    [Fact]
    public async Task AnyCall_KeyMissing_SaysToSetQdrantApiKey()
    {
        await using var qdrant = await QdrantDouble.StartAsync(apiKey: Key, cancellationToken: Cancel);
        using var t = new QdrantTestStore(qdrant.Url, apiKey: null);

        var error = await Assert.ThrowsAsync<VectorStoreException>(() => t.Store.GetStatsAsync(Cancel));

        Assert.Contains("requires an API key: set QDRANT_API_KEY", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyFailure_MessageNeverCarriesTheKey_EvenWhenTheServerEchoesIt()
    {
        await using var qdrant = await QdrantDouble.StartAsync(apiKey: Key, cancellationToken: Cancel);
        using var t = QdrantTestStore.For(qdrant);
        qdrant.FailWith(StatusCode.InvalidArgument, $"bad header api-key: {Key}");

        var error = await Assert.ThrowsAsync<VectorStoreException>(() => t.Store.GetPageAsync(Intro, Cancel));

        Assert.DoesNotContain(Key, error.Message, StringComparison.Ordinal);
        Assert.Contains("***", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_BeforeIngest_SaysTheCollectionIsMissingAndToRunIngest()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        using var t = QdrantTestStore.For(qdrant);

        var error = await Assert.ThrowsAsync<VectorStoreException>(
            () => t.Store.SearchAsync(new SearchRequest(new float[] { 1, 0, 0, 0 }, "nodes", 3), Cancel));

        Assert.Equal("Qdrant collection 'book' not found — run ingest", error.Message);
    }

    [Fact]
    public async Task MarkBuilt_BeforeEnsureReady_FailsWithAVectorStoreException()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        using var t = QdrantTestStore.For(qdrant);

        var error = await Assert.ThrowsAsync<VectorStoreException>(() => t.Store.MarkBuiltAsync(DateTimeOffset.UnixEpoch, Cancel));

        Assert.Equal("Qdrant collection 'book' not found — run ingest", error.Message);
    }

    [Fact]
    public async Task AnyCall_CallerCancels_ThrowsOperationCanceled()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        using var t = QdrantTestStore.For(qdrant);
        qdrant.Hang();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        var search = t.Store.SearchAsync(new SearchRequest(new float[] { 1, 0, 0, 0 }, "nodes", 3), cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => search);
    }

    [Fact]
    public async Task Probe_Healthy_IsOkWithLatency()
    {
        await using var qdrant = await QdrantDouble.StartAsync(apiKey: Key, cancellationToken: Cancel);
        using var t = QdrantTestStore.For(qdrant);
        await t.Store.EnsureReadyAsync(Embedding, Cancel);

        var probe = await t.Store.ProbeAsync(Cancel);

        Assert.True(probe.Ok);
        Assert.Null(probe.Error);
        Assert.True(probe.Latency > TimeSpan.Zero);
    }

    [Fact]
    public async Task Probe_WrongKey_FailsWhereQdrantsOwnHealthCheckSucceeds()
    {
        await using var qdrant = await QdrantDouble.StartAsync(apiKey: "the-right-one", cancellationToken: Cancel);
        using var t = QdrantTestStore.For(qdrant, apiKey: Key);

        var health = await t.Client.HealthAsync(Cancel);
        var probe = await t.Store.ProbeAsync(Cancel);

        Assert.Equal(QdrantDouble.Version, health.Version);
        Assert.False(probe.Ok);
        Assert.StartsWith("Qdrant rejected the API key (QDRANT_API_KEY)", probe.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, probe.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_NoCollection_IsNotOkAndSaysRunIngest()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        using var t = QdrantTestStore.For(qdrant);

        var probe = await t.Store.ProbeAsync(Cancel);

        Assert.False(probe.Ok);
        Assert.Equal("Qdrant collection 'book' not found — run ingest", probe.Error);
    }

    [Fact]
    public async Task Probe_ServerGone_IsNotOkAndSaysUnreachable()
    {
        var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        var url = qdrant.Url;
        await qdrant.DisposeAsync();
        using var t = new QdrantTestStore(url);

        var probe = await t.Store.ProbeAsync(Cancel);

        Assert.False(probe.Ok);
        Assert.StartsWith("Qdrant unreachable at 127.0.0.1:", probe.Error, StringComparison.Ordinal);
    }
}
