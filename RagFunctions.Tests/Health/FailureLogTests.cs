using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RagFunctions.Ingestion;
using RagFunctions.Retrieval.VectorStore.Qdrant;
using RagFunctions.Tests.Fakes;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Health;

/// <summary>
/// Each known failure, produced with the test doubles through real HTTP: one log line naming the dependency, the cause
/// and (from the host's scope) the function — the lines the README's troubleshooting table lists. No secret in any line.
/// </summary>
public sealed class FailureLogTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Chat_CohereKeyRejected_LogsInvalidKeyInTheChatFunction()
    {
        await using var cohere = await CohereDouble.StartAsync(Cancel);
        await using var app = await SampleBookIndex.StartAppAsync(Cohere(cohere));
        cohere.Enqueue(CohereDouble.ChatPath, CohereFault.Status(401));

        using var response = await ChatAsync(app, "What is a ROS 2 node?");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var line = Assert.Single(app.Logs.Lines, l => l.Contains("Cohere connection failed: 401 invalid API key", StringComparison.Ordinal) && l.Contains("[3010]", StringComparison.Ordinal));
        Assert.Contains("function=chat", line, StringComparison.Ordinal);
        Assert.DoesNotContain(cohere.ApiKey, app.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_CohereRateLimited_LogsTheRetryAndItsDelay()
    {
        await using var cohere = await CohereDouble.StartAsync(Cancel);
        await using var app = await SampleBookIndex.StartAppAsync(Cohere(cohere));
        cohere.Enqueue(CohereDouble.ChatPath, CohereFault.RateLimited(retryAfterMs: 200));

        using var response = await ChatAsync(app, "What is a ROS 2 node?");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var line = Assert.Single(app.Logs.Lines, l => l.Contains("Cohere rate limited: 429, retrying in 0.2 s", StringComparison.Ordinal));
        Assert.True(line.Contains("function=chat", StringComparison.Ordinal), app.Logs.All);
        Assert.DoesNotContain(cohere.ApiKey, app.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_QdrantHangs_LogsTheTimeoutWithEndpointAndAnswers503()
    {
        await using var qdrant = await QdrantDouble.StartAsync(apiKey: "qdrant-secret-key-123", cancellationToken: Cancel);
        await using var app = await TestApp.StartAsync(
            new Dictionary<string, string?> { ["QDRANT_URL"] = qdrant.Url, ["QDRANT_API_KEY"] = "qdrant-secret-key-123" },
            (services, configuration) =>
            {
                AppServices.Add(services, configuration);
                services.PostConfigure<QdrantStoreOptions>(o => o.GrpcTimeout = TimeSpan.FromSeconds(2));
            });
        await app.StartupIngestion;
        await app.Warmups; // their searches are done before the store hangs: only the reader's search is
        qdrant.Hang("qdrant.Points/Query");

        using var response = await ChatAsync(app, "What is a ROS 2 node?");

        await Problems.AssertAsync(response, HttpStatusCode.ServiceUnavailable);
        // The hung search, logged once. (On a loaded machine another call may pass the deadline too; it is not this line.)
        var line = Assert.Single(app.Logs.Lines, l => l.Contains($"Qdrant query at {qdrant.Host}:{qdrant.Port} failed with DeadlineExceeded", StringComparison.Ordinal)
                                                      && l.Contains($"Qdrant connection timeout after 2 s at {qdrant.Host}:{qdrant.Port}", StringComparison.Ordinal)
                                                      && l.Contains("[2107]", StringComparison.Ordinal));
        Assert.Contains("function=chat", line, StringComparison.Ordinal);
        Assert.DoesNotContain("qdrant-secret-key-123", app.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_IndexBuiltWithAnotherModel_LogsReindexAndAnswers503WithTheFix()
    {
        await using var cohere = await CohereDouble.StartAsync(Cancel);
        var settings = Cohere(cohere);
        settings["EMBEDDINGS_PROVIDER"] = "cohere";
        settings["COHERE_EMBED_MODEL"] = "embed-english-v3.0";
        await using var app = await SampleBookIndex.StartAppAsync(settings);

        using var response = await ChatAsync(app, "What is a ROS 2 node?");

        var problem = await Problems.AssertAsync(response, HttpStatusCode.ServiceUnavailable);
        const string Expected = "but configured model is embed-english-v3.0 (1024-d) — re-index";
        Assert.Contains(Expected, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var line = Assert.Single(app.Logs.Lines, l => l.Contains(Expected, StringComparison.Ordinal) && l.Contains("[2900]", StringComparison.Ordinal));
        Assert.Matches(@"Index built with \S+ \(384-d\) but configured model", line);
        Assert.Contains("function=chat", line, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Cohere(CohereDouble cohere) => new()
    {
        ["COHERE_API_KEY"] = cohere.ApiKey,
        ["COHERE_BASE_URL"] = cohere.BaseUrl,
    };

    private static async Task<HttpResponseMessage> ChatAsync(TestApp app, string question)
    {
        using var content = new StringContent($$"""{"question":"{{question}}"}""", Encoding.UTF8, "application/json");
        return await app.Client.PostAsync("/chat", content, Cancel);
    }
}
