using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using RagFunctions.Tests.Fakes;

namespace RagFunctions.Tests.Cohere;

/// <summary>The double itself, over raw HTTP: what it accepts, rejects and sends is what Cohere v2 does (providers.md §6).</summary>
public sealed class CohereDoubleTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer not-the-key")]
    public async Task Post_WithoutTheKey_Returns401InvalidApiToken(string? authorization)
    {
        await using var cohere = await CohereDouble.StartAsync(Cancel);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, cohere.BaseUrl + CohereDouble.ChatPath)
        {
            Content = new StringContent("""{"model":"m","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await http.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement;
        Assert.False(string.IsNullOrEmpty(body.GetProperty("id").GetString()));
        Assert.Equal("invalid api token", body.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData(CohereDouble.ChatPath, """{"messages":[{"role":"user","content":"hi"}]}""", "model must be a non-empty string")]
    [InlineData(CohereDouble.ChatPath, """{"model":"m"}""", "messages must be a non-empty array")]
    [InlineData(CohereDouble.ChatPath, """{"model":"m","messages":[{"role":"user","content":"hi"},{"role":"system","content":"late"}]}""", "a system message must be the first message")]
    [InlineData(CohereDouble.ChatPath, """{"model":"m","messages":[{"role":"user","content":"hi"}],"temperature":-0.1}""", "temperature must be between 0 and 1")]
    [InlineData(CohereDouble.ChatPath, """{"model":"m","messages":[{"role":"user","content":"hi"}],"documents":[{"id":"a","data":{}},{"id":"a","data":{}}]}""", "duplicate document id: a")]
    [InlineData(CohereDouble.ChatPath, """{"model":"m","messages":[{"role":"user","content":"hi"}],"documents":["x",{"id":"doc:0","data":{}}]}""", "duplicate document id: doc:0")]
    [InlineData(CohereDouble.EmbedPath, """{"model":"embed-v4.0","texts":["a"],"embedding_types":["float"]}""", "input_type is required")]
    [InlineData(CohereDouble.EmbedPath, """{"model":"embed-v4.0","input_type":"search_query","texts":["a"]}""", "embedding_types is required")]
    [InlineData(CohereDouble.RerankPath, """{"model":"rerank-v3.5","query":"","documents":["a"]}""", "query must not be empty")]
    [InlineData(CohereDouble.RerankPath, """{"model":"rerank-v3.5","query":"q","documents":[]}""", "documents must not be empty")]
    public async Task Post_InvalidRequest_Returns400WithCohereMessage(string path, string body, string message)
    {
        await using var cohere = await CohereDouble.StartAsync(Cancel);

        using var response = await PostAsync(cohere, path, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement.GetProperty("message").GetString();
        Assert.StartsWith("invalid request: " + message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embed_97Texts_Returns400AtMost96()
    {
        await using var cohere = await CohereDouble.StartAsync(Cancel);
        var texts = string.Join(',', Enumerable.Range(0, 97).Select(i => $"\"t{i}\""));

        using var response = await PostAsync(cohere, CohereDouble.EmbedPath,
            $$"""{"model":"embed-multilingual-v3.0","input_type":"search_document","texts":[{{texts}}],"embedding_types":["float"]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("total number of texts must be at most 96", await response.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_DocumentsWithoutIds_AreCitedAsDocNWithTheirDataAndBothUsageBlocks()
    {
        await using var cohere = await CohereDouble.StartAsync(Cancel);

        using var response = await PostAsync(cohere, CohereDouble.ChatPath, """
            {"model":"command-a-03-2025","messages":[{"role":"user","content":"What is ROS 2?"}],
             "documents":["Nodes talk over topics. More text.",{"data":{"title":"Intro","snippet":"ROS 2 is a middleware."}}]}
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var raw = await response.Content.ReadAsStringAsync(Cancel);
        var json = JsonDocument.Parse(raw).RootElement;
        Assert.Equal("COMPLETE", json.GetProperty("finish_reason").GetString());
        var text = json.GetProperty("message").GetProperty("content")[0].GetProperty("text").GetString()!;
        Assert.Equal("According to the book: Nodes talk over topics. ROS 2 is a middleware.", text);
        var citations = json.GetProperty("message").GetProperty("citations").EnumerateArray().ToArray();
        Assert.Equal(2, citations.Length);
        foreach (var citation in citations)
        {
            Assert.Equal(citation.GetProperty("text").GetString(), text[citation.GetProperty("start").GetInt32()..citation.GetProperty("end").GetInt32()]);
        }

        var source = citations[1].GetProperty("sources")[0];
        Assert.Equal("document", source.GetProperty("type").GetString());
        Assert.Equal("doc:1", source.GetProperty("id").GetString());
        Assert.Equal("doc:1", source.GetProperty("document").GetProperty("id").GetString());
        Assert.Equal("Intro", source.GetProperty("document").GetProperty("title").GetString());
        Assert.Equal("doc:0", citations[0].GetProperty("sources")[0].GetProperty("id").GetString());
        var usage = json.GetProperty("usage");
        Assert.True(usage.GetProperty("billed_units").GetProperty("output_tokens").GetInt32() > 0);
        Assert.Contains("\"tokens\":{\"input_tokens\":", raw, StringComparison.Ordinal);
        Assert.Matches("\"output_tokens\":\\d+\\.0", raw);
    }

    [Fact]
    public async Task ChatStream_Events_ComeInCohereOrderWithTheirTypeRepeated()
    {
        await using var cohere = await CohereDouble.StartAsync(Cancel);
        cohere.Thinking = true;
        cohere.SendDoneMarker = true;

        var events = await StreamAsync(cohere, "ACCURATE");

        var names = events.Select(e => e.Name).ToArray();
        Assert.Equal(["message-start", "content-start", "content-delta"], names[..3]);
        Assert.Equal("thinking", events[1].Data.GetProperty("delta").GetProperty("message").GetProperty("content").GetProperty("type").GetString());
        Assert.Equal(0, events[1].Data.GetProperty("index").GetInt32());
        var textStart = Array.FindIndex(names, 3, n => n == "content-start");
        Assert.Equal(1, events[textStart].Data.GetProperty("index").GetInt32());
        var contentEnd = Array.FindLastIndex(names, n => n == "content-end");
        Assert.Equal(["citation-start", "citation-end", "citation-start", "citation-end", "message-end", "[DONE]"], names[(contentEnd + 1)..]);
        Assert.All(events.Where(e => e.Name != "[DONE]"), e => Assert.Equal(e.Name, e.Data.GetProperty("type").GetString()));
        var citation = events[contentEnd + 1].Data.GetProperty("delta").GetProperty("message").GetProperty("citations");
        Assert.Equal(JsonValueKind.Object, citation.ValueKind);
        Assert.Equal("COMPLETE", events[^2].Data.GetProperty("delta").GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task ChatStream_FastMode_InterleavesCitationsWithTheDeltas()
    {
        await using var cohere = await CohereDouble.StartAsync(Cancel);

        var names = (await StreamAsync(cohere, "FAST")).Select(e => e.Name).ToArray();

        Assert.True(Array.IndexOf(names, "citation-start") < Array.LastIndexOf(names, "content-delta"));
        Assert.Equal("message-end", names[^1]);
    }

    [Fact]
    public async Task Rerank_TopN_CutsTheSortedResults()
    {
        await using var cohere = await CohereDouble.StartAsync(Cancel);

        using var response = await PostAsync(cohere, CohereDouble.RerankPath,
            """{"model":"rerank-v3.5","query":"robot arm","documents":["bread","robot arm joints","a robot"],"top_n":2}""");

        var results = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal([1, 2], results.Select(r => r.GetProperty("index").GetInt32()));
        Assert.True(results[0].GetProperty("relevance_score").GetDouble() > results[1].GetProperty("relevance_score").GetDouble());
    }

    [Fact]
    public async Task Latency_DelaysEveryAnswer()
    {
        await using var cohere = await CohereDouble.StartAsync(Cancel);
        cohere.Latency = TimeSpan.FromMilliseconds(150);

        var started = System.Diagnostics.Stopwatch.StartNew();
        using var response = await PostAsync(cohere, CohereDouble.RerankPath, """{"model":"r","query":"q","documents":["q"]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(150));
    }

    [Fact]
    public async Task RecordRequestsOff_KeepsNothing_AndAnsweredStillReportsTheRequestWithItsTime()
    {
        await using var cohere = await CohereDouble.StartAsync(Cancel);
        cohere.Latency = TimeSpan.FromMilliseconds(50);
        cohere.RecordRequests = false;
        var answered = new TaskCompletionSource<(CohereRecordedRequest Request, TimeSpan Elapsed)>(TaskCreationOptions.RunContinuationsAsynchronously);
        cohere.Answered = (request, elapsed) => answered.TrySetResult((request, elapsed));

        using var response = await PostAsync(cohere, CohereDouble.RerankPath, """{"model":"r","query":"q","documents":["q"]}""");
        var (request, elapsed) = await answered.Task.WaitAsync(TimeSpan.FromSeconds(10), Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(cohere.Requests);
        Assert.Equal(CohereDouble.RerankPath, request.Path);
        // The latency is a timer, and .NET timers may fire a millisecond or two before the stopwatch says they are due.
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(45), $"answered after {elapsed.TotalMilliseconds} ms");
    }

    private static async Task<HttpResponseMessage> PostAsync(CohereDouble cohere, string path, string body)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, cohere.BaseUrl + path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", cohere.ApiKey);
        var response = await http.SendAsync(request, Cancel);
        await response.Content.LoadIntoBufferAsync(Cancel);
        return response;
    }

    private static async Task<List<(string Name, JsonElement Data)>> StreamAsync(CohereDouble cohere, string mode)
    {
        using var response = await PostAsync(cohere, CohereDouble.ChatPath, $$$"""
            {"model":"command-a-03-2025","stream":true,"citation_options":{"mode":"{{{mode}}}"},
             "messages":[{"role":"user","content":"q"}],"documents":[{"id":"d1","data":{"snippet":"One two three four. Five."}},{"id":"d2","data":{"snippet":"Six seven."}}]}
            """);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = new List<(string, JsonElement)>();
        foreach (var block in (await response.Content.ReadAsStringAsync(Cancel)).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            var data = lines.Single(l => l.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..];
            if (data == "[DONE]")
            {
                events.Add(("[DONE]", default));
                continue;
            }

            events.Add((lines.Single(l => l.StartsWith("event: ", StringComparison.Ordinal))["event: ".Length..], JsonDocument.Parse(data).RootElement.Clone()));
        }

        return events;
    }
}
