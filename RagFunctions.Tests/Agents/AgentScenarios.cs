using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using RagFunctions.Tests.Support;
using RagFunctions.Tests.Translation;

namespace RagFunctions.Tests.Agents;

/// <summary>
/// What both hosts must do for agents, over real HTTP against the sample book: the MCP SDK's client and the reference
/// TypeScript client list the tools and call each one; llms.txt has the llmstxt.org shape and every link in it is a
/// Markdown page; llms-full.txt holds every page with its code blocks byte for byte. The host tests call these.
/// </summary>
internal static partial class AgentScenarios
{
    public static readonly string[] ToolNames = ["search_book", "read_section", "book_outline", "ask_book"];

    public const string TopicsSection = "http://localhost:3000/docs/ros2/communication#topics";
    public const string CommunicationPage = "http://localhost:3000/docs/ros2/communication";
    public const string InScopeQuestion = "How do I list the topics of a running ROS 2 system?";
    public const string OutOfScopeQuestion = "What is the best recipe for sourdough bread?";

    /// <summary>The node client's plan: one call of each tool, then an unknown tool and a wrongly typed argument.</summary>
    public static readonly string NodePlan = JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["calls"] = new Dictionary<string, object>
        {
            ["search_book"] = new Dictionary<string, object> { ["query"] = "ros2 topic list", ["top_k"] = 3 },
            ["read_section"] = new Dictionary<string, object> { ["url"] = TopicsSection },
            ["book_outline"] = new Dictionary<string, object>(),
            ["ask_book"] = new Dictionary<string, object> { ["question"] = InScopeQuestion },
        },
        ["failures"] = new Dictionary<string, object>
        {
            ["unknown_tool"] = new Dictionary<string, object> { ["name"] = "delete_book", ["arguments"] = new Dictionary<string, object>() },
            ["wrong_type"] = new Dictionary<string, object> { ["name"] = "search_book", ["arguments"] = new Dictionary<string, object> { ["query"] = "nav2", ["top_k"] = "five" } },
        },
    });

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static async Task<McpClient> ConnectAsync(HttpClient http, string? forwardedFor = null)
    {
        var options = new HttpClientTransportOptions
        {
            Endpoint = new Uri(http.BaseAddress!, "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            Name = "sdk-test-client",
        };
        if (forwardedFor is not null)
        {
            options.AdditionalHeaders = new Dictionary<string, string> { ["X-Forwarded-For"] = forwardedFor };
        }

        var transport = new HttpClientTransport(options, http, NullLoggerFactory.Instance, ownsHttpClient: false);
        return await McpClient.CreateAsync(transport, new McpClientOptions { ClientInfo = new Implementation { Name = "sdk-test-client", Version = "1.0" } }, NullLoggerFactory.Instance, Cancel);
    }

    /// <summary>The SDK's client: initialize, the four tools with descriptions and schemas, one call of each, every page as a resource.</summary>
    public static async Task SdkClientListsAndCallsEveryToolAsync(HttpClient http, string? forwardedFor = null)
    {
        await using var client = await ConnectAsync(http, forwardedFor);
        Assert.Equal("book", client.ServerInfo?.Name);
        Assert.Contains("search_book", client.ServerInstructions ?? "", StringComparison.Ordinal);

        var tools = await client.ListToolsAsync(cancellationToken: Cancel);
        Assert.Equal(ToolNames, tools.Select(t => t.Name));
        Assert.All(tools, t => Assert.True(t.Description.Length > 80, $"{t.Name} needs a description a model can act on"));
        Assert.All(tools, t => Assert.Equal("object", t.JsonSchema.GetProperty("type").GetString()));

        var search = Json(await client.CallToolAsync("search_book", new Dictionary<string, object?> { ["query"] = "ros2 topic list", ["top_k"] = 3 }, cancellationToken: Cancel));
        AssertSearch(search, 3);

        var section = Json(await client.CallToolAsync("read_section", new Dictionary<string, object?> { ["url"] = TopicsSection }, cancellationToken: Cancel));
        AssertSection(section);

        var outline = Json(await client.CallToolAsync("book_outline", new Dictionary<string, object?>(), cancellationToken: Cancel));
        AssertOutline(outline, await PageUrlsAsync(http));

        var answer = Json(await client.CallToolAsync("ask_book", new Dictionary<string, object?> { ["question"] = InScopeQuestion }, cancellationToken: Cancel));
        await AssertSameAsChatAsync(http, answer, InScopeQuestion, forwardedFor);

        var refusal = Json(await client.CallToolAsync("ask_book", new Dictionary<string, object?> { ["question"] = OutOfScopeQuestion }, cancellationToken: Cancel));
        Assert.Equal("refusal", refusal.GetProperty("mode").GetString());

        var resources = await client.ListResourcesAsync(cancellationToken: Cancel);
        Assert.Equal((await PageUrlsAsync(http)).Order(), resources.Select(r => r.Uri).Order());
        Assert.All(resources, r => Assert.Equal("text/markdown", r.MimeType));
        var page = await client.ReadResourceAsync(CommunicationPage, cancellationToken: Cancel);
        var text = Assert.IsType<TextResourceContents>(Assert.Single(page.Contents));
        Assert.Equal(CommunicationPage, text.Uri);
        AssertCodeBlocksIntact(text.Text, "ros2/communication.md");
    }

    /// <summary>The reference TypeScript SDK's client, run by node, does the same against the same endpoint.</summary>
    public static async Task NodeClientListsAndCallsEveryToolAsync(HttpClient http)
    {
        var run = await NodeMcpClient.RunAsync(new Uri(http.BaseAddress!, "/mcp"), NodePlan, Cancel);

        Assert.Equal("book", run.GetProperty("server").GetProperty("name").GetString());
        Assert.Equal(ToolNames, run.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        var calls = run.GetProperty("calls");
        foreach (var tool in ToolNames)
        {
            Assert.False(calls.GetProperty(tool).GetProperty("isError").GetBoolean(), $"{tool}: {calls.GetProperty(tool)}");
        }

        AssertSearch(JsonDocument.Parse(calls.GetProperty("search_book").GetProperty("text").GetString()!).RootElement, 3);
        AssertSection(calls.GetProperty("read_section").GetProperty("structured"));
        AssertOutline(calls.GetProperty("book_outline").GetProperty("structured"), await PageUrlsAsync(http));
        await AssertSameAsChatAsync(http, calls.GetProperty("ask_book").GetProperty("structured"), InScopeQuestion, forwardedFor: null);

        Assert.Equal((await PageUrlsAsync(http)).Order(), run.GetProperty("resources").EnumerateArray().Select(r => r.GetProperty("uri").GetString()!).Order());
        Assert.StartsWith("# ", run.GetProperty("read").GetProperty("text").GetString(), StringComparison.Ordinal);

        var failures = run.GetProperty("failures");
        Assert.Equal((int)McpErrorCode.InvalidParams, failures.GetProperty("unknown_tool").GetProperty("code").GetInt32());
        Assert.Contains("Unknown tool 'delete_book'", failures.GetProperty("unknown_tool").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal((int)McpErrorCode.InvalidParams, failures.GetProperty("wrong_type").GetProperty("code").GetInt32());
        Assert.Contains("'top_k' must be a whole number", failures.GetProperty("wrong_type").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// llms.txt: an H1, a blockquote, then H2 sections of link lists (llmstxt.org); each link is a page's Markdown (200,
    /// text/markdown), one per indexed page. llms-full.txt: every page, every code block of the sources byte for byte.
    /// </summary>
    public static async Task LlmsTxtIsValidAndEveryLinkIsMarkdownAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/llms.txt", Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.ETag);
        var links = LlmsTxtLinks(await response.Content.ReadAsStringAsync(Cancel));

        var pages = await PageUrlsAsync(http);
        Assert.Equal(pages.Count, links.Count);
        foreach (var link in links)
        {
            using var page = await http.GetAsync(link, Cancel);
            Assert.True(page.StatusCode == HttpStatusCode.OK, $"{link} → {(int)page.StatusCode}");
            Assert.Equal("text/markdown", page.Content.Headers.ContentType?.MediaType);
            var markdown = await page.Content.ReadAsStringAsync(Cancel);
            Assert.StartsWith("# ", markdown, StringComparison.Ordinal);
            Assert.Contains(pages, url => markdown.Contains($"Source: <{url}>", StringComparison.Ordinal));
        }

        using var full = await http.GetAsync("/llms-full.txt", Cancel);
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
        var book = await full.Content.ReadAsStringAsync(Cancel);
        Assert.All(pages, url => Assert.Contains($"Source: <{url}>", book, StringComparison.Ordinal));
        foreach (var source in Directory.EnumerateFiles(RepoFiles.Path("RagFunctions", "SampleBook", "docs"), "*.md*", SearchOption.AllDirectories))
        {
            AssertCodeBlocksIntact(book, Path.GetRelativePath(RepoFiles.Path("RagFunctions", "SampleBook", "docs"), source));
        }
    }

    /// <summary>The links of an llms.txt, after checking its shape: H1, blockquote, then only H2 sections of "- [name](url): notes" lists.</summary>
    public static IReadOnlyList<string> LlmsTxtLinks(string text)
    {
        var lines = text.Split('\n');
        Assert.Matches(@"^# \S", lines[0]);
        Assert.Equal("", lines[1]);
        Assert.Matches(@"^> \S", lines[2]);
        Assert.Single(lines, l => l.StartsWith("# ", StringComparison.Ordinal));
        var firstSection = Array.FindIndex(lines, l => l.StartsWith("## ", StringComparison.Ordinal));
        Assert.True(firstSection > 2, "llms.txt has no H2 section of links");

        var links = new List<string>();
        foreach (var line in lines[firstSection..].Where(l => l.Length > 0))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                continue;
            }

            var item = LinkItem().Match(line);
            Assert.True(item.Success, $"Not a '- [name](url): notes' item: {line}");
            links.Add(item.Groups["url"].Value);
        }

        return links;
    }

    /// <summary>Every fenced code block of the sample book's source file appears in <paramref name="text"/> byte for byte.</summary>
    public static void AssertCodeBlocksIntact(string text, string sourceFile)
    {
        var source = RepoFiles.Read("RagFunctions", "SampleBook", "docs", sourceFile).ReplaceLineEndings("\n");
        foreach (var block in FencedBlocks.In(source))
        {
            Assert.Contains(block, text, StringComparison.Ordinal);
        }
    }

    public static async Task<IReadOnlyList<string>> PageUrlsAsync(HttpClient http)
    {
        var pages = JsonDocument.Parse(await http.GetStringAsync("/pages", Cancel)).RootElement.GetProperty("pages");
        return [.. pages.EnumerateArray().Select(p => p.GetProperty("url").GetString()!)];
    }

    /// <summary>One JSON-RPC POST as bytes on the wire, and the JSON-RPC message that came back (from JSON or the first SSE event).</summary>
    public static async Task<(HttpStatusCode Status, JsonElement Message, HttpResponseMessage Response)> PostAsync(
        HttpClient http, HttpContent content, string? forwardedFor = null, string accept = "application/json, text/event-stream")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = content };
        request.Headers.TryAddWithoutValidation("Accept", accept);
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        var response = await http.SendAsync(request, Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        var json = response.Content.Headers.ContentType?.MediaType == "text/event-stream"
            ? body.Split('\n').First(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..]
            : body;
        return (response.StatusCode, JsonDocument.Parse(json).RootElement.Clone(), response);
    }

    public static StringContent JsonRpc(string json) => new(json, Encoding.UTF8, "application/json");

    public static StringContent CallTool(string name, string arguments)
        => JsonRpc($$$"""{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"{{{name}}}","arguments":{{{arguments}}}}}""");

    private static JsonElement Json(CallToolResult result)
    {
        Assert.True(result.IsError is not true, string.Join('\n', result.Content.OfType<TextContentBlock>().Select(c => c.Text)));
        var text = Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
        var json = JsonDocument.Parse(text).RootElement.Clone();
        Assert.NotNull(result.StructuredContent);
        Assert.Equal(json.GetRawText().Length > 0, result.StructuredContent.Value.ValueKind == JsonValueKind.Object);
        return json;
    }

    private static void AssertSearch(JsonElement search, int topK)
    {
        var results = search.GetProperty("results").EnumerateArray().ToArray();
        Assert.InRange(results.Length, 1, topK);
        Assert.Equal(TopicsSection, results[0].GetProperty("url").GetString());
        Assert.All(results, r =>
        {
            Assert.Contains(" › ", r.GetProperty("title").GetString(), StringComparison.Ordinal);
            Assert.Contains('#', r.GetProperty("url").GetString()!);
            Assert.False(string.IsNullOrWhiteSpace(r.GetProperty("snippet").GetString()));
            Assert.True(r.GetProperty("score").GetDouble() > 0);
        });
    }

    private static void AssertSection(JsonElement section)
    {
        Assert.Equal(TopicsSection, section.GetProperty("url").GetString());
        Assert.Equal(CommunicationPage, section.GetProperty("page_url").GetString());
        var markdown = section.GetProperty("markdown").GetString()!;
        Assert.StartsWith("## Topics", markdown, StringComparison.Ordinal);
        Assert.Contains("```", markdown, StringComparison.Ordinal);
        var source = RepoFiles.Read("RagFunctions", "SampleBook", "docs", "ros2", "communication.md").ReplaceLineEndings("\n");
        Assert.Contains(markdown.TrimEnd('\n'), source, StringComparison.Ordinal);
    }

    private static void AssertOutline(JsonElement outline, IReadOnlyList<string> pageUrls)
    {
        var pages = outline.GetProperty("pages").EnumerateArray().ToArray();
        Assert.Equal(pageUrls.Order(), pages.Select(p => p.GetProperty("url").GetString()!).Order());
        var communication = pages.Single(p => p.GetProperty("url").GetString() == CommunicationPage);
        Assert.Equal("ros2", communication.GetProperty("chapter").GetString());
        Assert.Contains(communication.GetProperty("headings").EnumerateArray(), h => h.GetProperty("url").GetString() == TopicsSection && h.GetProperty("level").GetInt32() == 2);
    }

    /// <summary>ask_book's answer is /chat's: the same mode, answer text and sources.</summary>
    private static async Task AssertSameAsChatAsync(HttpClient http, JsonElement answer, string question, string? forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/chat") { Content = JsonRpc(JsonSerializer.Serialize(new { question })) };
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        using var response = await http.SendAsync(request, Cancel);
        var chat = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(chat.GetProperty("mode").GetString(), answer.GetProperty("mode").GetString());
        Assert.Equal(chat.GetProperty("answer").GetString(), answer.GetProperty("answer").GetString());
        Assert.Equal(
            chat.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("url").GetString()),
            answer.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("url").GetString()));
        Assert.True(answer.GetProperty("grounded").GetBoolean());
        Assert.NotEmpty(answer.GetProperty("citations").EnumerateArray());
    }

    [GeneratedRegex(@"^- \[(?<name>[^\]]+)\]\((?<url>[^)\s]+)\)(: \S.*)?$")]
    private static partial Regex LinkItem();
}
