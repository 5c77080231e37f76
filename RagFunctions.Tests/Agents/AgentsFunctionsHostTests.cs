using System.Net;
using System.Text;
using ModelContextProtocol;
using RagFunctions.Hosting;
using RagFunctions.Tests.Fakes.FunctionsHost;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Agents;

/// <summary>
/// <c>/mcp</c> and the llms.txt files under the Functions host double: the built exe as an isolated worker behind the
/// host's gRPC and HTTP forwarding, over a copy of the ingested sample book, called over real HTTP at the host's front
/// door. The MCP SDK runs inside a function invocation here, so what the standalone tests show must hold through the host.
/// </summary>
[Collection(FunctionsHostDouble.Collection)]
public sealed class AgentsFunctionsHostTests(AgentsFunctionsHostTests.Worker worker) : IClassFixture<AgentsFunctionsHostTests.Worker>
{
    private static int clients;

    [Fact]
    public async Task SdkClient_ListsTheToolsAndCallsEachOne_ThroughTheHost()
    {
        await AgentScenarios.SdkClientListsAndCallsEveryToolAsync(worker.Client, NewClient());

        Assert.Contains(worker.Host.Invocations, i => i.Function == "mcp" && i.Method == "POST");
    }

    [Fact]
    public Task TypeScriptReferenceClient_ListsTheToolsAndCallsEachOne_ThroughTheHost()
        => AgentScenarios.NodeClientListsAndCallsEveryToolAsync(worker.Client);

    [Fact]
    public Task LlmsTxt_FollowsTheFormat_AndEveryLinkResolvesThroughTheHost()
        => AgentScenarios.LlmsTxtIsValidAndEveryLinkIsMarkdownAsync(worker.Client);

    [Fact]
    public async Task MalformedJson_Is400WithAJsonRpcParseError()
    {
        var (status, message, _) = await AgentScenarios.PostAsync(worker.Client, AgentScenarios.JsonRpc("""{"jsonrpc":"""), NewClient());

        Assert.Equal(HttpStatusCode.BadRequest, status);
        McpServerTests.AssertError(message, McpErrorCode.ParseError, "Parse error");
    }

    [Fact]
    public async Task UnknownToolAndWrongArgumentType_AreInvalidParamsErrors()
    {
        var client = NewClient();
        var (_, unknown, _) = await AgentScenarios.PostAsync(worker.Client, AgentScenarios.CallTool("delete_book", "{}"), client);
        var (_, wrong, _) = await AgentScenarios.PostAsync(worker.Client, AgentScenarios.CallTool("search_book", """{"query":"nav2","top_k":"five"}"""), client);

        McpServerTests.AssertError(unknown, McpErrorCode.InvalidParams, "Unknown tool 'delete_book'");
        McpServerTests.AssertError(wrong, McpErrorCode.InvalidParams, "'top_k' must be a whole number");
    }

    [Fact]
    public async Task OversizedBody_Is413WithAJsonRpcError()
    {
        var text = new string('x', 40 * 1024);

        var (status, message, _) = await AgentScenarios.PostAsync(worker.Client, AgentScenarios.CallTool("ask_book", $$"""{"question":"{{text}}"}"""), NewClient());

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        McpServerTests.AssertError(message, McpErrorCode.InvalidRequest, "at most 32 KB");
    }

    [Fact]
    public async Task BurstPastTheLimit_Gets429WithRetryAfter_WhileAnotherClientIsServed()
    {
        var limited = NewClient();
        const string list = """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""";
        for (var i = 0; i < Worker.PerMinute; i++)
        {
            var (allowed, _, _) = await AgentScenarios.PostAsync(worker.Client, AgentScenarios.JsonRpc(list), limited);
            Assert.Equal(HttpStatusCode.OK, allowed);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent(list, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Forwarded-For", limited);
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
        using var response = await worker.Client.SendAsync(request, TestContext.Current.CancellationToken);
        var (other, _, _) = await AgentScenarios.PostAsync(worker.Client, AgentScenarios.JsonRpc(list), NewClient());

        await Problems.AssertAsync(response, HttpStatusCode.TooManyRequests);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, other);
    }

    [Fact]
    public async Task Get_Is405FromTheFunction_SoBothHostsAnswerTheSame()
    {
        using var response = await worker.Client.GetAsync("/mcp", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("POST", string.Join(',', response.Content.Headers.Allow));
    }

    /// <summary>A reader of its own behind the Space's proxy: its own rate-limit budget.</summary>
    private static string NewClient() => $"203.0.113.{Interlocked.Increment(ref clients)}";

    /// <summary>The worker under the host double, started once for the class, with the sample book and no language model.</summary>
    public sealed class Worker : IAsyncLifetime
    {
        /// <summary>Enough for a whole client session from one address (the node client and the llms checks share loopback).</summary>
        public const int PerMinute = 60;

        internal FunctionsHostDouble Host { get; private set; } = null!;

        internal HttpClient Client { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            var environment = ContainerEnvironment.FromDockerfile();
            environment[EnvironmentVariables.DataDir] = await SampleBookIndex.CopyAsync();
            environment[EnvironmentVariables.RateLimitPerMinute] = PerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Host = await FunctionsHostDouble.StartAsync(environment, TestContext.Current.CancellationToken);
            Client = Host.CreateClient();
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await Host.DisposeAsync();
        }
    }
}

