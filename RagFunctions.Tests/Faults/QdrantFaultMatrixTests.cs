using System.Net;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using RagFunctions.Retrieval.VectorStore.Qdrant;
using RagFunctions.Tests.Fakes;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Faults;

/// <summary>
/// Qdrant faults, at the gRPC wire (the real Qdrant.Client against <see cref="QdrantDouble"/>), on one running app:
/// <c>/chat</c> and <c>/translate</c> answer a plain 503 ProblemDetails, <c>/health</c> shows the store down with the
/// cause, one log line names it; when the fault clears, the same app answers again, without a restart.
/// </summary>
public sealed class QdrantFaultMatrixTests
{
    private const string QdrantKey = "qdrant-secret-key-123";
    private const string AdminKey = "admin-key-for-fault-tests-0123456789";
    private const string IndexUnavailable = "The book index is unavailable right now. Please try again in a moment.";
    private const string Hangs = "deadline exceeded (Qdrant hangs)";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>fault | the cause, as the log line and <c>/health</c> say it (the gRPC deadline is 2 s where Qdrant hangs).</summary>
    public static TheoryData<string, string> Matrix => new()
    {
        { "unavailable (Qdrant stopped)", "Qdrant unreachable at 127.0.0.1:" },
        { Hangs, "Qdrant connection timeout after 2 s at 127.0.0.1:" },
        { "unauthenticated (server key rotated)", "Qdrant rejected the API key (QDRANT_API_KEY) at 127.0.0.1:" },
        { "collection missing (deleted behind our back)", "Qdrant collection 'book' not found — run ingest" },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task QdrantFault_Is503WithHealthDown_AndRecoversWithoutARestart(string fault, string cause)
    {
        await using var qdrant = await QdrantDouble.StartAsync(apiKey: QdrantKey, cancellationToken: Cancel);
        await using var cohere = await CohereDouble.StartAsync(Cancel);
        cohere.Respond = new FakeTranslator().Respond;
        await using var app = await StartAppAsync(qdrant, cohere, fault == Hangs ? TimeSpan.FromSeconds(2) : QdrantStoreOptions.DefaultGrpcTimeout);
        await app.StartupIngestion;
        Assert.Equal("generative", (await FaultRequests.ChatAnswerAsync(app, FaultRequests.StreamQuestion)).GetProperty("mode").GetString());

        await BreakAsync(qdrant, fault);

        using (var chat = await FaultRequests.ChatAsync(app))
        {
            await AssertIndexUnavailableAsync(chat);
        }

        using (var translate = await FaultRequests.TranslatePageAsync(app))
        {
            var problem = await AssertIndexUnavailableAsync(translate);
            Assert.False(problem.GetProperty("success").GetBoolean());
            Assert.Equal(IndexUnavailable, problem.GetProperty("error").GetString());
        }

        var down = await FaultRequests.StoreHealthAsync(app);
        Assert.Equal("down", down.GetProperty("status").GetString());
        Assert.Contains(cause, down.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.True(app.Logs.Lines.Any(l => l.Contains(cause, StringComparison.Ordinal) && l.Contains("function=chat", StringComparison.Ordinal)), app.Logs.All);
        Assert.DoesNotContain(QdrantKey, app.Logs.All + down.GetRawText(), StringComparison.Ordinal);

        await HealAsync(qdrant, app, fault);

        var healed = await FaultRequests.ChatAnswerAsync(app);
        Assert.Equal("generative", healed.GetProperty("mode").GetString());
        using (var translated = await FaultRequests.TranslatePageAsync(app))
        {
            Assert.Equal(HttpStatusCode.OK, translated.StatusCode);
        }

        var up = await FaultRequests.StoreHealthAsync(app);
        Assert.Equal("ok", up.GetProperty("status").GetString());
        Assert.True(up.GetProperty("chunks").GetInt64() > 0);
    }

    private static async Task BreakAsync(QdrantDouble qdrant, string fault)
    {
        switch (fault)
        {
            case "unavailable (Qdrant stopped)":
                await qdrant.StopAsync();
                break;
            case Hangs:
                qdrant.Hang();
                break;
            case "unauthenticated (server key rotated)":
                qdrant.ApiKey = "the-new-key-nobody-told-the-app";
                break;
            case "collection missing (deleted behind our back)":
                using (var client = new global::Qdrant.Client.QdrantClient(qdrant.Host, qdrant.Port, apiKey: QdrantKey))
                {
                    await client.DeleteCollectionAsync(QdrantStoreOptions.DefaultCollectionName, cancellationToken: Cancel);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, "not in the matrix");
        }
    }

    /// <summary>What an operator does: start Qdrant again, restore the key, or run ingest (here: <c>POST /manage/ingest</c>).</summary>
    private static async Task HealAsync(QdrantDouble qdrant, TestApp app, string fault)
    {
        switch (fault)
        {
            case "unavailable (Qdrant stopped)":
                await qdrant.RestartAsync(Cancel);
                break;
            case Hangs:
                qdrant.Heal();
                break;
            case "unauthenticated (server key rotated)":
                qdrant.ApiKey = QdrantKey;
                break;
            case "collection missing (deleted behind our back)":
                using (var request = new HttpRequestMessage(HttpMethod.Post, "/manage/ingest"))
                {
                    request.Headers.Add("X-Admin-Key", AdminKey);
                    using var response = await app.Client.SendAsync(request, Cancel);
                    Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Cancel));
                }

                break;
        }
    }

    private static async Task<System.Text.Json.JsonElement> AssertIndexUnavailableAsync(HttpResponseMessage response)
    {
        var problem = await Problems.AssertAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Equal(IndexUnavailable, problem.GetProperty("detail").GetString());
        var body = problem.GetRawText();
        Assert.DoesNotContain(QdrantKey, body, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(StatusCode), body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        return problem;
    }

    /// <summary>A short deadline only where Qdrant hangs: elsewhere it would fail healthy calls on a loaded machine.</summary>
    private static Task<TestApp> StartAppAsync(QdrantDouble qdrant, CohereDouble cohere, TimeSpan grpcTimeout)
        => TestApp.StartAsync(
            new Dictionary<string, string?>
            {
                ["QDRANT_URL"] = qdrant.Url,
                ["QDRANT_API_KEY"] = QdrantKey,
                ["COHERE_API_KEY"] = cohere.ApiKey,
                ["COHERE_BASE_URL"] = cohere.BaseUrl,
                ["ADMIN_API_KEY"] = AdminKey,
                ["BOOK_DOCS_DIR"] = FaultRequests.Ros2Docs(),
            },
            (services, configuration) =>
            {
                AppServices.Add(services, configuration);
                services.PostConfigure<QdrantStoreOptions>(o => o.GrpcTimeout = grpcTimeout);
            });
}
