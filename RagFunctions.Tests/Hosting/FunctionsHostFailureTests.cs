using System.Net;
using System.Text;
using RagFunctions.Feedback;
using RagFunctions.Hosting;
using RagFunctions.Tests.Fakes.FunctionsHost;
using RagFunctions.Tests.Fakes.FunctionsHost.Rpc;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Hosting;

/// <summary>
/// The real exe under the Functions host double where things go wrong: a feedback store that is not a database (a
/// failure no mapping knows, so a 500), and a container without <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED</c>, where the
/// host replaces the proxy's <c>X-Forwarded-For</c> with its own peer; and shutting down. One worker for the class
/// (and one of its own for the shutdown).
/// </summary>
[Collection(FunctionsHostDouble.Collection)]
public sealed class FunctionsHostFailureTests(FunctionsHostFailureTests.Worker worker) : IClassFixture<FunctionsHostFailureTests.Worker>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AFunctionThatThrows_Is500ProblemDetails_WithoutTheExceptionText_AndTheInvocationStillSucceeds()
    {
        using var response = await worker.Client.SendAsync(
            Post("/feedback", """{"answer_id":"0123456789abcdef0123456789abcdef","rating":"up"}""", "198.51.100.1"), Cancel);

        var body = await response.Content.ReadAsStringAsync(Cancel);
        var problem = await Problems.AssertAsync(response, HttpStatusCode.InternalServerError);
        Assert.Equal(ErrorMapping.UnexpectedDetail, problem.GetProperty("detail").GetString());
        Assert.DoesNotContain("database", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(SqliteFeedbackStore.FileName, body, StringComparison.Ordinal);
        var outcome = await worker.Host.Invocations.Last(i => i.Function == "feedback").Outcome.WaitAsync(Cancel);
        Assert.Equal(StatusResult.Types.Status.Success, outcome.Status);
    }

    [Fact]
    public async Task WithoutForwardedHeaders_ReadersBehindTheProxy_ShareOneBudget()
    {
        for (var i = 0; i < Worker.PerMinute; i++)
        {
            using var allowed = await worker.Client.SendAsync(Post("/chat", "{}", $"203.0.113.{i + 1}"), Cancel);
            Assert.Equal(HttpStatusCode.BadRequest, allowed.StatusCode);
        }

        using var anotherReader = await worker.Client.SendAsync(Post("/chat", "{}", "203.0.113.100"), Cancel);

        await Problems.AssertAsync(anotherReader, HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task OnWorkerTerminate_TheWorkerStopsByItself()
    {
        var environment = ContainerEnvironment.FromDockerfile();
        environment[EnvironmentVariables.DataDir] = await SampleBookIndex.CopyAsync();
        var host = await FunctionsHostDouble.StartAsync(environment, Cancel);

        await host.DisposeAsync();

        Assert.True(host.WorkerExitedOnTerminate, host.WorkerOutput);
    }

    private static HttpRequestMessage Post(string route, string json, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return request;
    }

    /// <summary>The worker under the host double, over an index whose feedback file is garbage.</summary>
    public sealed class Worker : IAsyncLifetime
    {
        public const int PerMinute = 2;

        internal FunctionsHostDouble Host { get; private set; } = null!;

        internal HttpClient Client { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            var dataDir = await SampleBookIndex.CopyAsync();
            await File.WriteAllTextAsync(Path.Combine(dataDir, SqliteFeedbackStore.FileName), new string('x', 4096), Cancel);
            var environment = ContainerEnvironment.FromDockerfile();
            environment.Remove("ASPNETCORE_FORWARDEDHEADERS_ENABLED");
            environment[EnvironmentVariables.DataDir] = dataDir;
            environment[EnvironmentVariables.RateLimitPerMinute] = PerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Host = await FunctionsHostDouble.StartAsync(environment, Cancel);
            Client = Host.CreateClient();
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await Host.DisposeAsync();
        }
    }
}
