using System.Net;
using System.Text;
using ModelContextProtocol;
using RagFunctions.Hosting;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Agents;

/// <summary>
/// <c>/mcp</c> and the llms.txt files on the standalone host, over real HTTP, against a copy of the ingested sample book:
/// both clients list and call every tool, and each kind of bad request gets its own error, never a 500.
/// </summary>
public sealed class McpServerTests(McpServerTests.App app) : IClassFixture<McpServerTests.App>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public Task SdkClient_ListsTheToolsAndCallsEachOne_AndReadsThePagesAsResources()
        => AgentScenarios.SdkClientListsAndCallsEveryToolAsync(app.Test.Client);

    [Fact]
    public Task TypeScriptReferenceClient_ListsTheToolsAndCallsEachOne()
        => AgentScenarios.NodeClientListsAndCallsEveryToolAsync(app.Test.Client);

    [Fact]
    public Task LlmsTxt_FollowsTheFormat_AndEveryLinkIsAPagesMarkdown_AndTheFullFileHoldsEveryPage()
        => AgentScenarios.LlmsTxtIsValidAndEveryLinkIsMarkdownAsync(app.Test.Client);

    [Fact]
    public async Task LlmsTxt_LinksToWhereTheClientCameIn_AsTheProxyInFrontSays()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/llms.txt");
        request.Headers.Add("X-Forwarded-Host", "book-space.example");
        request.Headers.Add("X-Forwarded-Proto", "https");

        using var response = await app.Test.Client.SendAsync(request, Cancel);

        var links = AgentScenarios.LlmsTxtLinks(await response.Content.ReadAsStringAsync(Cancel));
        Assert.All(links, link => Assert.StartsWith("https://book-space.example/llms/", link, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/llms.txt")]
    [InlineData("/llms-full.txt")]
    [InlineData("/llms/docs/ros2/communication.md")]
    public async Task LlmsFiles_AreRevalidatedByETag(string path)
    {
        using var first = await app.Test.Client.GetAsync(path, Cancel);
        using var again = new HttpRequestMessage(HttpMethod.Get, path);
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);

        using var response = await app.Test.Client.SendAsync(again, Cancel);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("no-cache", first.Headers.CacheControl?.ToString());
        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
    }

    [Theory]
    [InlineData("/llms/docs/nowhere.md")]
    [InlineData("/llms/docs/ros2/communication")]
    public async Task UnknownLlmsPage_Is404ProblemDetails(string path)
    {
        using var response = await app.Test.Client.GetAsync(path, Cancel);

        await Problems.AssertAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task MalformedJson_Is400WithAJsonRpcParseError()
    {
        var (status, message, _) = await AgentScenarios.PostAsync(app.Test.Client, AgentScenarios.JsonRpc("""{"jsonrpc":"2.0","id":1,"method":"""));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertError(message, McpErrorCode.ParseError, "Parse error");
    }

    [Theory]
    [InlineData("""{"hello":"world"}""")]
    [InlineData("""[{"jsonrpc":"2.0","id":1,"method":"tools/list"}]""")]
    public async Task JsonThatIsNotOneJsonRpcMessage_Is400WithAnInvalidRequestError(string body)
    {
        var (status, message, _) = await AgentScenarios.PostAsync(app.Test.Client, AgentScenarios.JsonRpc(body));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        AssertError(message, McpErrorCode.InvalidRequest, "JSON-RPC message");
    }

    [Fact]
    public async Task UnknownTool_IsAnInvalidParamsError_ListingTheTools()
    {
        var (status, message, _) = await AgentScenarios.PostAsync(app.Test.Client, AgentScenarios.CallTool("delete_book", "{}"));

        Assert.Equal(HttpStatusCode.OK, status);
        AssertError(message, McpErrorCode.InvalidParams, "Unknown tool 'delete_book'. This server's tools are search_book, read_section, book_outline, ask_book.");
    }

    [Theory]
    [InlineData("search_book", """{"query":"nav2","top_k":"five"}""", "'top_k' must be a whole number from 1 to 10, not a string.")]
    [InlineData("search_book", """{"query":42}""", "'query' must be a string, not the number 42.")]
    [InlineData("search_book", """{"query":"nav2","top_k":50}""", "'top_k' must be from 1 to 10; it was 50.")]
    [InlineData("search_book", """{"top_k":2}""", "search_book needs 'query': a non-empty string.")]
    [InlineData("search_book", """{"query":"nav2","topK":2}""", "search_book has no argument 'topK'; its arguments are 'query', 'top_k'.")]
    [InlineData("read_section", """{"url":["a"]}""", "'url' must be a string, not an array.")]
    [InlineData("read_section", """{"url":"https://example.org/docs/nowhere"}""", "The book has no page at 'https://example.org/docs/nowhere'.")]
    [InlineData("read_section", """{"url":"http://localhost:3000/docs/ros2/communication#nowhere"}""", "has no section '#nowhere'. Its sections are #the-ros-2-graph")]
    [InlineData("book_outline", """{"depth":2}""", "book_outline takes no arguments, but was given 'depth'.")]
    [InlineData("ask_book", """{"question":true}""", "'question' must be a string, not a boolean.")]
    public async Task WrongArguments_AreInvalidParamsErrors_ThatNameTheArgument(string tool, string arguments, string expected)
    {
        var (status, message, _) = await AgentScenarios.PostAsync(app.Test.Client, AgentScenarios.CallTool(tool, arguments));

        Assert.Equal(HttpStatusCode.OK, status);
        AssertError(message, McpErrorCode.InvalidParams, expected);
    }

    [Fact]
    public async Task OversizedArgument_IsAnInvalidParamsError_WithTheLimit()
    {
        var question = new string('q', 2001);

        var (_, message, _) = await AgentScenarios.PostAsync(app.Test.Client, AgentScenarios.CallTool("ask_book", $$"""{"question":"{{question}}"}"""));

        AssertError(message, McpErrorCode.InvalidParams, "'question' is 2001 characters; the limit is 2000.");
    }

    [Fact]
    public async Task OversizedBody_Is413WithAJsonRpcError_BeforeTheSdkReadsIt()
    {
        var text = new string('x', 40 * 1024);

        var (status, message, _) = await AgentScenarios.PostAsync(app.Test.Client, AgentScenarios.CallTool("ask_book", $$"""{"question":"{{text}}"}"""));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        AssertError(message, McpErrorCode.InvalidRequest, "at most 32 KB");
    }

    [Fact]
    public async Task NonJsonContentType_Is415WithAJsonRpcError()
    {
        var (status, message, _) = await AgentScenarios.PostAsync(
            app.Test.Client, new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        AssertError(message, McpErrorCode.InvalidRequest, "Content-Type: application/json");
    }

    [Fact]
    public async Task ClientThatDoesNotAcceptEventStreams_Is406FromTheSdk()
    {
        var (status, message, _) = await AgentScenarios.PostAsync(
            app.Test.Client, AgentScenarios.JsonRpc("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}"""), accept: "application/json");

        Assert.Equal(HttpStatusCode.NotAcceptable, status);
        Assert.Contains("text/event-stream", message.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("DELETE")]
    public async Task GetAndDelete_Are405_TheServerIsStateless(string method)
    {
        using var response = await app.Test.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/mcp"), Cancel);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("POST", string.Join(',', response.Content.Headers.Allow));
        Assert.Contains("stateless", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadRequests_AreNeitherServerErrorsNorErrorLogLines()
    {
        await AgentScenarios.PostAsync(app.Test.Client, AgentScenarios.JsonRpc("""{"jsonrpc":"2.0","id":1,"method":"""));
        await AgentScenarios.PostAsync(app.Test.Client, AgentScenarios.CallTool("search_book", """{"query":{"nested":[1,2]}}"""));
        await AgentScenarios.PostAsync(app.Test.Client, AgentScenarios.CallTool("delete_book", "{}"));
        await AgentScenarios.PostAsync(app.Test.Client, AgentScenarios.JsonRpc("""{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"https://example.org/nowhere"}}"""));

        // Neither the pipeline's 500 (9001) nor an error line: a client's mistake is not the operator's problem.
        Assert.DoesNotContain(app.Test.Logs.Lines, l => l.Contains("[9001]", StringComparison.Ordinal));
        Assert.DoesNotContain(app.Test.Logs.Lines, l => l.StartsWith("Error ", StringComparison.Ordinal) || l.StartsWith("Critical ", StringComparison.Ordinal));
    }

    internal static void AssertError(System.Text.Json.JsonElement message, McpErrorCode code, string expected)
    {
        Assert.Equal("2.0", message.GetProperty("jsonrpc").GetString());
        var error = message.GetProperty("error");
        Assert.Equal((int)code, error.GetProperty("code").GetInt32());
        Assert.Contains(expected, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    /// <summary>One standalone host over the sample book for the class; no rate limit (see <see cref="McpRateLimitTests"/>).</summary>
    public sealed class App : IAsyncLifetime
    {
        internal TestApp Test { get; private set; } = null!;

        public async ValueTask InitializeAsync() => Test = await SampleBookIndex.StartAppAsync();

        public ValueTask DisposeAsync() => Test.DisposeAsync();
    }
}

/// <summary>The per-client rate limit applies to <c>/mcp</c> as to <c>/chat</c>: past it, 429 with <c>Retry-After</c>.</summary>
public sealed class McpRateLimitTests
{
    private const int PerMinute = 3;

    [Fact]
    public async Task BurstPastTheLimit_Gets429WithRetryAfter_WhileAnotherClientIsServed()
    {
        await using var app = await SampleBookIndex.StartAppAsync(new Dictionary<string, string?>
        {
            [EnvironmentVariables.RateLimitPerMinute] = PerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        const string list = """{"jsonrpc":"2.0","id":1,"method":"tools/list"}""";

        for (var i = 0; i < PerMinute; i++)
        {
            var (allowed, _, _) = await AgentScenarios.PostAsync(app.Client, AgentScenarios.JsonRpc(list), forwardedFor: "198.51.100.7");
            Assert.Equal(HttpStatusCode.OK, allowed);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = AgentScenarios.JsonRpc(list) };
        request.Headers.Add("X-Forwarded-For", "198.51.100.7");
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
        using var limited = await app.Client.SendAsync(request, TestContext.Current.CancellationToken);
        var (other, _, _) = await AgentScenarios.PostAsync(app.Client, AgentScenarios.JsonRpc(list), forwardedFor: "198.51.100.8");

        var problem = await Problems.AssertAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.Contains($"at most {PerMinute} a minute", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(int.Parse(limited.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal(HttpStatusCode.OK, other);
    }
}
