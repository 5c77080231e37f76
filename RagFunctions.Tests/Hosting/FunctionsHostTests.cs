using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using RagFunctions.Hosting;
using RagFunctions.Tests.Fakes;
using RagFunctions.Tests.Fakes.FunctionsHost;
using RagFunctions.Tests.Fakes.FunctionsHost.Rpc;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Hosting;

/// <summary>
/// The production shape: the built exe as an isolated worker under the Functions host double (gRPC, the ASP.NET Core
/// integration's HTTP proxying, our worker middleware), called over real HTTP at the host's front door. One worker
/// for the whole class, in the container's environment as the Dockerfile sets it, over a copy of the ingested sample
/// book, with the Cohere double as the language model and translator, and a small rate limit.
/// </summary>
[Collection(FunctionsHostDouble.Collection)]
public sealed class FunctionsHostTests(FunctionsHostTests.Worker worker) : IClassFixture<FunctionsHostTests.Worker>
{
    private const string Question = """{"question":"What is a ROS 2 topic?"}""";
    private const string ReaderOrigin = "https://reader.example";

    /// <summary>A bound that turns a buffered stream (which would never deliver while the model is held) into a failure.</summary>
    private static readonly TimeSpan FirstEventBound = TimeSpan.FromSeconds(60);

    private static int clients;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Health_IsAnsweredByTheWorker_ThroughAnInvocationThatSucceeds()
    {
        using var response = await worker.Client.GetAsync("/health?ready=1", Cancel);

        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(JsonDocument.Parse(body).RootElement.GetProperty("services").GetProperty("vector_store").GetProperty("built_at").GetString());
        var outcome = await worker.Host.Invocations.Last(i => i.Function == "health").Outcome.WaitAsync(Cancel);
        Assert.Equal(StatusResult.Types.Status.Success, outcome.Status);
    }

    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/docs", "text/html")]
    [InlineData("/openapi.json", "application/json")]
    public async Task SiteRoutes_AreServedByTheWorker_TheRootIncluded(string path, string mediaType)
    {
        using var response = await worker.Client.GetAsync(path, Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(worker.Host.Invocations, i => i.Method == "GET" && i.Path == path);
    }

    [Fact]
    public async Task Chat_IsAGroundedGenerativeAnswer()
    {
        var json = await PostJsonAsync("/chat", Question, NewClient());

        Assert.Equal("generative", json.GetProperty("mode").GetString());
        Assert.True(json.GetProperty("grounded").GetBoolean());
        Assert.NotEmpty(json.GetProperty("sources").EnumerateArray());
        Assert.Matches("^[0-9a-f]{32}$", json.GetProperty("answer_id").GetString());
    }

    [Fact]
    public async Task StreamChat_EventsReachTheClientAsTheyAreWritten_NotBufferedToTheEnd()
    {
        worker.Cohere.HoldStreamAfterTokens(1);
        try
        {
            // A question of its own: an answer given before would be replayed from the cache without the model.
            using var request = Post("/stream-chat", """{"question":"How does a ROS 2 node publish messages?"}""", NewClient());
            using var response = await worker.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Cancel);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Cancel));

            // The model is held after its first token until the release below: this event can only arrive now if every
            // hop (worker, host, client) passes it on as it is written.
            var first = await reader.ReadLineAsync(Cancel).AsTask().WaitAsync(FirstEventBound, Cancel);
            Assert.StartsWith("data: {\"token\":", first, StringComparison.Ordinal);
            Assert.Equal("", await reader.ReadLineAsync(Cancel));
            await worker.Cohere.StreamHeld.WaitAsync(FirstEventBound, Cancel);

            worker.Cohere.ReleaseStream();
            var rest = await reader.ReadToEndAsync(Cancel);
            var events = rest.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.All(events, e => Assert.Matches("^(data: \\{.*\\}|: ping)$", e));
            Assert.Contains("\"done\":true", events[^1], StringComparison.Ordinal);
        }
        finally
        {
            worker.Cohere.ReleaseStream();
        }
    }

    [Fact]
    public async Task Translate_ReturnsTheTranslatedChapter()
    {
        var json = await PostJsonAsync(
            "/translate", """{"page_url":"http://localhost:3000/docs/ros2/communication","target_language":"urdu"}""", NewClient());

        Assert.True(json.GetProperty("success").GetBoolean());
        Assert.Equal("ur", json.GetProperty("target_language").GetString());
        Assert.Contains(FakeTranslator.Marker, json.GetProperty("translation").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feedback_OnAnAnswer_IsAccepted()
    {
        var client = NewClient();
        var answer = await PostJsonAsync("/chat", Question, client);

        var accepted = await PostJsonAsync(
            "/feedback", $$"""{"answer_id":"{{answer.GetProperty("answer_id").GetString()}}","rating":"up"}""", client);

        Assert.Matches("^[0-9a-f]{32}$", accepted.GetProperty("feedback_id").GetString());
        Assert.Equal(answer.GetProperty("answer_id").GetString(), accepted.GetProperty("answer_id").GetString());
    }

    [Theory]
    [InlineData("/chat")]
    [InlineData("/stream-chat")]
    [InlineData("/translate")]
    [InlineData("/feedback")]
    public async Task MalformedJson_Is400ProblemDetails(string route)
    {
        using var response = await worker.Client.SendAsync(Post(route, """{"question": """, NewClient()), Cancel);

        await Problems.AssertAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task PastTheBudget_OneClientGets429WithRetryAfter_WhileAnotherClientIsStillServed()
    {
        var limited = NewClient();
        for (var i = 0; i < Worker.PerMinute; i++)
        {
            using var allowed = await worker.Client.SendAsync(Post("/chat", "{}", limited), Cancel);
            Assert.Equal(HttpStatusCode.BadRequest, allowed.StatusCode);
        }

        using var response = await worker.Client.SendAsync(Post("/chat", "{}", limited), Cancel);
        using var other = await worker.Client.SendAsync(Post("/chat", "{}", NewClient()), Cancel);

        var problem = await Problems.AssertAsync(response, HttpStatusCode.TooManyRequests);
        Assert.Equal("Too many requests", problem.GetProperty("title").GetString());
        Assert.True(int.Parse(response.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal(HttpStatusCode.BadRequest, other.StatusCode);
    }

    [Fact]
    public async Task CorsPreflight_IsAnsweredByTheHost_ForAllowedOriginsOnly()
    {
        using var allowed = await worker.Client.SendAsync(Preflight("/chat", ReaderOrigin), Cancel);
        using var other = await worker.Client.SendAsync(Preflight("/chat", "https://elsewhere.example"), Cancel);

        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal(ReaderOrigin, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("POST", allowed.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);
        Assert.Contains("content-type", allowed.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.DoesNotContain(worker.Host.Invocations, i => i.Method == HttpMethods.Options);
    }

    [Fact]
    public async Task CorsOnAnAnswer_AllowsTheReadersOrigin_AndExposesTheRequestIdAndRetryAfter()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Add("Origin", ReaderOrigin);

        using var response = await worker.Client.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(ReaderOrigin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Matches("^[0-9a-f]{32}$", response.Headers.GetValues(RequestLogScope.HeaderName).Single());
        var exposed = response.Headers.GetValues("Access-Control-Expose-Headers").SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries));
        Assert.Equal(CorsOriginsOptions.ExposedHeaders.Order(), exposed.Order());
    }

    [Fact]
    public async Task StreamChat_ClientLeaving_CancelsTheModelCall()
    {
        worker.Cohere.HoldStreamAfterTokens(1);
        try
        {
            using (var request = Post("/stream-chat", """{"question":"What does a ROS 2 subscriber do?"}""", NewClient()))
            using (var response = await worker.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Cancel))
            {
                // An error answer (say the worker's own 15 s wait for the invocation ran out) never reaches the model:
                // fail on it here rather than wait for a stream that will not come.
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}\n{worker.Host.WorkerOutput}");
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Cancel));
                var first = await reader.ReadLineAsync(Cancel).AsTask().WaitAsync(FirstEventBound, Cancel);
                Assert.StartsWith("data: {\"token\":", first, StringComparison.Ordinal);
                await worker.Cohere.StreamHeld.WaitAsync(FirstEventBound, Cancel);
            }

            // The reader left the host while the model was still writing: host, worker and model call all let go.
            await worker.Cohere.StreamAborted.WaitAsync(FirstEventBound, Cancel);
        }
        finally
        {
            worker.Cohere.ReleaseStream();
        }
    }

    [Theory]
    [InlineData("application/json", 17 * 1024, HttpStatusCode.RequestEntityTooLarge)]
    [InlineData("text/plain", 10, HttpStatusCode.UnsupportedMediaType)]
    public async Task OversizedOrNonJsonBodies_AreProblemDetails(string contentType, int size, HttpStatusCode status)
    {
        var json = $$"""{"question":"{{new string('q', size)}}"}""";
        using var request = Post("/chat", json, NewClient());
        request.Content = new StringContent(json, Encoding.UTF8, contentType);

        using var response = await worker.Client.SendAsync(request, Cancel);

        await Problems.AssertAsync(response, status);
    }

    [Theory]
    [InlineData("GET", "/nowhere")]
    [InlineData("GET", "/chat")]
    [InlineData("POST", "/health")]
    [InlineData("GET", "/chat/")]
    [InlineData("POST", "/")]
    public async Task UnknownRoutesAndMethods_Are404_FromTheHost(string method, string path)
    {
        using var response = await worker.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Cancel);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Cancel));
        Assert.DoesNotContain(worker.Host.Invocations, i => i.Method == method && i.Path == path);
    }

    [Fact]
    public void EveryFunctionInFunctionsMetadata_IsReportedByTheWorker_WithTheSameRouteAndMethods_AndLoads()
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(worker.Host.AppDirectory, "functions.metadata")));
        var declared = file.RootElement.EnumerateArray().Select(f =>
        {
            var trigger = f.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "httpTrigger");
            return Describe(f.GetProperty("name").GetString()!, trigger.GetProperty("route").GetString()!, trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!));
        }).Order().ToArray();

        var reported = worker.Host.ReportedMetadata!.FunctionMetadataResults.Select(f => HostFunction.From(f, "")).Select(f => Describe(f.Name, f.Route!, f.Methods)).Order().ToArray();
        var loaded = worker.Host.Functions.Select(f => Describe(f.Name, f.Route!, f.Methods)).Order().ToArray();

        Assert.NotEmpty(declared);
        Assert.Equal(declared, reported);
        Assert.Empty(worker.Host.FunctionErrors);
        Assert.Equal(declared, loaded);
    }

    [Fact]
    public async Task TheWorkersLogs_ReachTheHostOverTheStream_AndNotAlsoOnTheConsole()
    {
        // The host writes what the worker sends it to its own console (and Application Insights): a console logger in
        // the worker would put every line there twice. The start-up ingestion always logs what it found.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        timeout.CancelAfter(TimeSpan.FromMinutes(1));
        await worker.Host.WorkerLogAsync(l => l.Category.StartsWith("RagFunctions.", StringComparison.Ordinal), timeout.Token);
        Assert.DoesNotContain("RagFunctions.", worker.Host.WorkerOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryAdminRoute_RefusesAMissingOrWrongKey_With401_AndTheWorkerLogsTheRefusal()
    {
        foreach (var (route, request, client) in AdminGateTests.Refusable(NewClient))
        {
            using (request)
            using (var response = await worker.Client.SendAsync(request, Cancel))
            {
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{request.Method} {route.Path} answered {(int)response.StatusCode}");
                await Problems.AssertAsync(response, HttpStatusCode.Unauthorized);
            }

            var expected = $"Refused an admin call to {route.Path} from {client}";
            await worker.Host.WorkerLogAsync(l => l.Message.Contains(expected, StringComparison.Ordinal), Cancel).WaitAsync(FirstEventBound, Cancel);
        }

        Assert.DoesNotContain(worker.Host.WorkerLogs, l => l.Message.Contains(AdminGateTests.WrongKey, StringComparison.Ordinal));
    }

    [Fact]
    public void TheWorkerServesOnItsOwnPort_NotOnTheOneTheContainerGivesTheHost()
        => Assert.NotEqual(worker.Host.BaseAddress.Port, worker.Host.WorkerHttpUri.Port);

    private static string Describe(string name, string route, IEnumerable<string> methods)
        => $"{name} {route} {string.Join(',', methods.Select(m => m.ToUpperInvariant()).Order())}";

    /// <summary>A reader of its own behind the Space's proxy (which sets X-Forwarded-For): its own rate-limit budget.</summary>
    private static string NewClient() => $"198.51.100.{Interlocked.Increment(ref clients)}";

    private static HttpRequestMessage Post(string route, string json, string client)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, route) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Forwarded-For", client);
        return request;
    }

    private static HttpRequestMessage Preflight(string route, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, route);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");
        return request;
    }

    private async Task<JsonElement> PostJsonAsync(string route, string json, string client)
    {
        using var response = await worker.Client.SendAsync(Post(route, json, client), Cancel);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}\n{worker.Host.WorkerOutput}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The worker under the host double, started once for the class.</summary>
    public sealed class Worker : IAsyncLifetime
    {
        public const int PerMinute = 3;

        private readonly FakeTranslator translator = new();

        internal CohereDouble Cohere { get; private set; } = null!;

        internal FunctionsHostDouble Host { get; private set; } = null!;

        internal HttpClient Client { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            Cohere = await CohereDouble.StartAsync(Cancel);
            Cohere.Respond = translator.Respond;
            var environment = ContainerEnvironment.FromDockerfile();
            environment[EnvironmentVariables.DataDir] = await SampleBookIndex.CopyAsync();
            environment["COHERE_API_KEY"] = Cohere.ApiKey;
            environment["COHERE_BASE_URL"] = Cohere.BaseUrl;
            environment[EnvironmentVariables.RateLimitPerMinute] = PerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture);
            environment[EnvironmentVariables.CorsAllowedOrigins] = $"[\"{ReaderOrigin}\"]";
            environment[EnvironmentVariables.AdminApiKey] = AdminGateTests.Key;
            Host = await FunctionsHostDouble.StartAsync(environment, Cancel);
            Client = Host.CreateClient();

            // Ready (/health?ready=1) waits for the work done at start (the embedding model, a first search, the chat
            // pipeline's warm-up questions); the worker says when it is over.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
            timeout.CancelAfter(TimeSpan.FromMinutes(2));
            await Host.WorkerLogAsync(l => l.Message.StartsWith("Start-up work done", StringComparison.Ordinal), timeout.Token);
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await Host.DisposeAsync();
            await Cohere.DisposeAsync();
        }
    }
}
