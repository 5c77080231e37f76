using System.Net;
using System.Text;
using System.Text.Json;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Faults;

/// <summary>The reader's three requests of the fault matrix, through real HTTP, and what their answers say.</summary>
internal static class FaultRequests
{
    public const string ChatQuestion = "What is a ROS 2 topic?";
    public const string StreamQuestion = "What is a ROS 2 node?";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static Task<HttpResponseMessage> ChatAsync(TestApp app, string question = ChatQuestion)
        => PostAsync(app, "/chat", JsonSerializer.Serialize(new { question }));

    /// <summary>The <c>/chat</c> answer, asserting a 200.</summary>
    public static async Task<JsonElement> ChatAnswerAsync(TestApp app, string question = ChatQuestion)
    {
        using var response = await ChatAsync(app, question);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/chat answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>The tokens of a <c>/stream-chat</c> answer and its final <c>/chat</c> JSON, asserting a 200.</summary>
    public static async Task<(IReadOnlyList<string> Tokens, JsonElement Answer)> StreamAnswerAsync(TestApp app, string question = StreamQuestion)
    {
        using var response = await PostAsync(app, "/stream-chat", JsonSerializer.Serialize(new { question }));
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"/stream-chat answered {(int)response.StatusCode}: {text}");
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Where(e => e.StartsWith("data: ", StringComparison.Ordinal))
            .Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement.Clone())
            .ToArray();
        var final = events[^1];
        Assert.True(final.TryGetProperty("response", out var inner), $"the stream ended without an answer: {text}");
        var tokens = events[..^1].Select(e => e.GetProperty("token").GetString()!).ToArray();
        return (tokens, JsonDocument.Parse(inner.GetString()!).RootElement.Clone());
    }

    public static Task<HttpResponseMessage> TranslateContentAsync(TestApp app)
        => PostAsync(app, "/translate", """{"content":"## Topics\n\nA topic is a named stream of messages between nodes.","target_language":"urdu"}""");

    public static Task<HttpResponseMessage> TranslatePageAsync(TestApp app, string pageUrl = Translation.TranslationHarness.CommunicationPage)
        => PostAsync(app, "/translate", JsonSerializer.Serialize(new { page_url = pageUrl, target_language = "urdu" }));

    /// <summary>A docs folder with the sample book's two ROS 2 pages only: quick to ingest, and it holds the questions above.</summary>
    public static string Ros2Docs()
    {
        var docs = TempDirectory.Create();
        var ros2 = Directory.CreateDirectory(Path.Combine(docs, "ros2")).FullName;
        foreach (var file in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "SampleBook", "docs", "ros2")))
        {
            File.Copy(file, Path.Combine(ros2, Path.GetFileName(file)));
        }

        return docs;
    }

    public static Task<HttpResponseMessage> HealthAsync(TestApp app)
        => app.Client.GetAsync("/health?probe=true", Cancel);

    /// <summary>The vector store's part of a fresh <c>/health</c>.</summary>
    public static async Task<JsonElement> StoreHealthAsync(TestApp app)
    {
        using var response = await HealthAsync(app);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement;
        return json.GetProperty("services").GetProperty("vector_store").Clone();
    }

    private static async Task<HttpResponseMessage> PostAsync(TestApp app, string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        return await app.Client.PostAsync(path, content, Cancel);
    }
}
