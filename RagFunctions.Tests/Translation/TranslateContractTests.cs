using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using RagFunctions.Retrieval.VectorStore;
using RagFunctions.Translation;
using RagFunctions.Tests.Fakes;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Translation;

/// <summary><c>POST /translate</c> through real HTTP over the ingested sample book, with the Cohere double as translator.</summary>
public sealed partial class TranslateContractTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static TheoryData<string> SamePageUrls =>
    [
        "http://localhost:3000/docs/ros2/communication",
        "http://localhost:3000/docs/ros2/communication/",
        "http://localhost:3000/docs/ros2/communication#nodes",
        "http://localhost:3000/docs/ros2/communication/?utm_source=x#the-ros-2-graph",
        "https://humanoid-robotics-textbook-psi.vercel.app/docs/ros2/communication/",
        "https://preview-42.example.app/docs/ros2/communication?tab=python",
        "http://localhost:3000/ur/docs/ros2/communication",
        "https://humanoid-robotics-textbook-psi.vercel.app/ur/docs/ros2/communication/#qos",
        "/docs/ros2/communication",
        "HTTP://LOCALHOST:3000/DOCS/ROS2/COMMUNICATION",
    ];

    [Fact]
    public async Task Translate_UrlVariants_AllMatchTheSameIndexedPage()
    {
        await using var t = await TranslationHarness.StartAsync();

        foreach (var url in SamePageUrls)
        {
            var json = await t.TranslatePageAsync(url);

            Assert.Equal(TranslationHarness.CommunicationPage, json.GetProperty("page_url").GetString());
        }
    }

    [Fact]
    public async Task Translate_Page_ReturnsTheContractFields()
    {
        await using var t = await TranslationHarness.StartAsync();

        var json = await t.TranslatePageAsync();

        Assert.True(json.GetProperty("success").GetBoolean());
        Assert.Equal("ur", json.GetProperty("target_language").GetString());
        Assert.True(json.GetProperty("rtl").GetBoolean());
        Assert.False(json.GetProperty("cached").GetBoolean());
        Assert.Equal("command-a-03-2025", json.GetProperty("model").GetString());
        Assert.True(json.GetProperty("sections").GetInt32() > 1);
        Assert.False(json.TryGetProperty("untranslated_sections", out _));
        var translation = json.GetProperty("translation").GetString()!;
        Assert.Contains(FakeTranslator.Marker, translation, StringComparison.Ordinal);
        Assert.DoesNotContain("⟦", json.GetProperty("translated_markdown").GetString()!, StringComparison.Ordinal);
        Assert.All(t.Cohere.RequestsTo(CohereDouble.ChatPath), r => Assert.Equal("command-a-03-2025", r.Json.GetProperty("model").GetString()));
    }

    [Fact]
    public async Task Translate_PlainText_HasNoMarkdownSyntaxButKeepsHeadingsAsLines()
    {
        await using var t = await TranslationHarness.StartAsync();

        var translation = (await t.TranslatePageAsync()).GetProperty("translation").GetString()!;

        Assert.DoesNotContain("```", translation, StringComparison.Ordinal);
        Assert.DoesNotContain("## ", translation, StringComparison.Ordinal);
        Assert.DoesNotContain("](", translation, StringComparison.Ordinal);
        Assert.DoesNotContain("**", translation, StringComparison.Ordinal);
        Assert.Contains("\n" + FakeTranslator.Translate("The") + " \u2066ROS 2\u2069 " + FakeTranslator.Translate("Graph") + "\n", translation, StringComparison.Ordinal);
        Assert.Contains("\u2066class Talker(Node):\u2069", translation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Translate_CodeBlocks_AreByteIdentical()
    {
        await using var t = await TranslationHarness.StartAsync();
        var store = t.App.Services.GetRequiredService<IVectorStore>();
        var original = string.Concat((await store.GetPageAsync(TranslationHarness.CommunicationPage, Cancel)).Select(c => c.Markdown + "\n"));
        var blocks = FencedBlock().Matches(original).Select(m => m.Value).ToList();
        Assert.NotEmpty(blocks);

        var json = await t.TranslatePageAsync();

        var markdown = json.GetProperty("translated_markdown").GetString()!;
        var plain = json.GetProperty("translation").GetString()!;
        foreach (var block in blocks)
        {
            Assert.Contains(block, markdown, StringComparison.Ordinal);
            var body = block[(block.IndexOf('\n', StringComparison.Ordinal) + 1)..block.LastIndexOf("```", StringComparison.Ordinal)];
            Assert.True(RtlIsolates.Without(plain).Contains(body.TrimEnd('\n'), StringComparison.Ordinal), plain);
            Assert.All(body.TrimEnd('\n').Split('\n').Where(l => l.Trim().Length > 0), line => Assert.Contains($"\n\u2066{line}\u2069\n", plain, StringComparison.Ordinal));
        }

        Assert.DoesNotContain('\u2066', markdown);
    }

    [Fact]
    public async Task Translate_GlossaryTermsInlineCodeAndImagePaths_SurviveAndAreNeverSentToTheModel()
    {
        await using var t = await TranslationHarness.StartAsync();

        var markdown = (await t.TranslatePageAsync()).GetProperty("translated_markdown").GetString()!;

        Assert.Contains("ROS 2", markdown, StringComparison.Ordinal);
        Assert.Contains("`rclpy`", markdown, StringComparison.Ordinal);
        Assert.Contains("DDS", markdown, StringComparison.Ordinal);
        Assert.Contains("](/img/ros2-graph.png)", markdown, StringComparison.Ordinal);
        var sent = string.Concat(t.Translator.CallsPerText.Keys);
        Assert.DoesNotContain("ROS 2", sent, StringComparison.Ordinal);
        Assert.DoesNotContain("rclpy", sent, StringComparison.Ordinal);
        Assert.DoesNotContain("/img/ros2-graph.png", sent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Translate_ModelDropsAPlaceholderOnce_RetriesAndTranslatesEverything()
    {
        await using var t = await TranslationHarness.StartAsync();
        t.Translator.DropPlaceholder(times: 1);

        var json = await t.TranslatePageAsync();

        Assert.False(json.TryGetProperty("untranslated_sections", out _));
        Assert.Equal(t.Translator.CallsPerText.Count + 1, t.Translator.Calls);
        Assert.DoesNotContain("⟦", json.GetProperty("translated_markdown").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Translate_ModelAlwaysDuplicatesAPlaceholder_SectionsStayInEnglishAndAreFlagged()
    {
        await using var t = await TranslationHarness.StartAsync();
        var store = t.App.Services.GetRequiredService<IVectorStore>();
        var chunks = await store.GetPageAsync(TranslationHarness.CommunicationPage, Cancel);
        t.Translator.DuplicatePlaceholder();

        var json = await t.TranslatePageAsync();

        var flagged = json.GetProperty("untranslated_sections").EnumerateArray().Select(e => e.GetInt32()).ToList();
        Assert.NotEmpty(flagged);
        var markdown = json.GetProperty("translated_markdown").GetString()!;
        Assert.DoesNotContain("⟦", markdown, StringComparison.Ordinal);
        Assert.All(chunks.Where(c => c.Markdown.Contains('`', StringComparison.Ordinal)), c => Assert.Contains(c.Markdown.Trim('\n', '\r'), markdown, StringComparison.Ordinal));

        // Nothing unverified is cached: the next request asks the model again.
        var before = t.Translator.Calls;
        var again = await t.TranslatePageAsync();
        Assert.False(again.GetProperty("cached").GetBoolean());
        Assert.True(t.Translator.Calls > before);
    }

    [Fact]
    public async Task Translate_SecondRequest_IsServedFromTheCache()
    {
        await using var t = await TranslationHarness.StartAsync();
        var first = await t.TranslatePageAsync();
        var calls = t.Translator.Calls;

        var second = await t.TranslatePageAsync("http://localhost:3000/ur/docs/ros2/communication/");

        Assert.True(second.GetProperty("cached").GetBoolean());
        Assert.Equal(calls, t.Translator.Calls);
        Assert.Equal(first.GetProperty("translation").GetString(), second.GetProperty("translation").GetString());
    }

    [Fact]
    public async Task Translate_ConcurrentIdenticalRequests_TranslateEachSectionOnce()
    {
        await using var t = await TranslationHarness.StartAsync();
        t.Cohere.Latency = TimeSpan.FromMilliseconds(200);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => t.TranslatePageAsync()));

        Assert.NotEmpty(t.Translator.CallsPerText);
        Assert.All(t.Translator.CallsPerText, pair => Assert.Equal(1, pair.Value));
        Assert.Single(results.Select(r => r.GetProperty("translated_markdown").GetString()).Distinct());
    }

    [Fact]
    public async Task Translate_AfterRestart_IsServedFromThePersistedCache()
    {
        await using var t = await TranslationHarness.StartAsync();
        var first = await t.TranslatePageAsync();
        var calls = t.Translator.Calls;

        await t.RestartAsync();
        var second = await t.TranslatePageAsync();

        Assert.True(second.GetProperty("cached").GetBoolean());
        Assert.Equal(calls, t.Translator.Calls);
        Assert.Equal(first.GetProperty("translated_markdown").GetString(), second.GetProperty("translated_markdown").GetString());
    }

    [Fact]
    public async Task Translate_ChangedContent_RetranslatesOnlyTheChangedSection()
    {
        await using var t = await TranslationHarness.StartAsync();
        string[] paragraphs = [Paragraph("alpha"), Paragraph("beta"), Paragraph("gamma")];
        await AssertOkAsync(await t.PostAsync(ContentBody(string.Join("\n\n", paragraphs))));
        var calls = t.Translator.Calls;
        Assert.Equal(3, calls);

        paragraphs[1] = Paragraph("delta");
        var json = await AssertOkAsync(await t.PostAsync(ContentBody(string.Join("\n\n", paragraphs))));

        Assert.Equal(calls + 1, t.Translator.Calls);
        Assert.Equal(3, json.GetProperty("sections").GetInt32());
        Assert.False(json.TryGetProperty("page_url", out _));
    }

    [Fact]
    public async Task Translate_ContentWithClientPlaceholders_ReturnsThemUnchanged()
    {
        await using var t = await TranslationHarness.StartAsync();
        const string content = "Start the robot with __FENCED_CODE_0__ and read __INLINE_CODE_3__ about __TECH_TERM_1_2__.";

        var json = await AssertOkAsync(await t.PostAsync(ContentBody(content, "text")));

        var markdown = json.GetProperty("translated_markdown").GetString()!;
        Assert.Contains("__FENCED_CODE_0__", markdown, StringComparison.Ordinal);
        Assert.Contains("__INLINE_CODE_3__", markdown, StringComparison.Ordinal);
        Assert.Contains("__TECH_TERM_1_2__", markdown, StringComparison.Ordinal);
        Assert.Contains(FakeTranslator.Marker, markdown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("arabic", "ar", true)]
    [InlineData("AR", "ar", true)]
    [InlineData("hindi", "hi", false)]
    [InlineData("ur", "ur", true)]
    [InlineData("Urdu", "ur", true)]
    public async Task Translate_OtherLanguages_AreNamedAndDirectedCorrectly(string given, string code, bool rtl)
    {
        await using var t = await TranslationHarness.StartAsync();

        var json = await t.TranslatePageAsync(TranslationHarness.CommunicationPage, given);

        Assert.Equal(code, json.GetProperty("target_language").GetString());
        Assert.Equal(rtl, json.GetProperty("rtl").GetBoolean());
    }

    [Fact]
    public async Task Translate_RateLimitStorm_Is429WithoutAPartialPage()
    {
        await using var t = await TranslationHarness.StartAsync();
        t.Cohere.Enqueue(CohereDouble.ChatPath, [.. Enumerable.Range(0, 200).Select(_ => CohereFault.RateLimited())]);

        using var response = await t.PostPageAsync(TranslationHarness.CommunicationPage);

        var problem = await AssertFailureAsync(response, HttpStatusCode.TooManyRequests);
        Assert.False(problem.TryGetProperty("translation", out _));
        Assert.Contains("try again", problem.GetProperty("error").GetString()!, StringComparison.OrdinalIgnoreCase);
        Assert.True(t.Cohere.RequestsTo(CohereDouble.ChatPath).Count > 1, "the client retried before giving up");
    }

    [Fact]
    public async Task Translate_ProviderDown_Is503AndNothingIsCached()
    {
        await using var t = await TranslationHarness.StartAsync();
        t.Cohere.Enqueue(CohereDouble.ChatPath, [.. Enumerable.Range(0, 200).Select(_ => CohereFault.Status(503))]);

        using var response = await t.PostPageAsync(TranslationHarness.CommunicationPage);

        await AssertFailureAsync(response, HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task Translate_UnknownPage_Is404WithSuccessFalse()
    {
        await using var t = await TranslationHarness.StartAsync();

        using var response = await t.PostPageAsync("http://localhost:3000/docs/no-such-chapter/");

        var problem = await AssertFailureAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("not in the book", problem.GetProperty("error").GetString()!, StringComparison.Ordinal);
        Assert.Equal(0, t.Translator.Calls);
    }

    [Fact]
    public async Task Translate_NoProviderConfigured_Is503NamingWhatToSet()
    {
        await using var app = await SampleBookIndex.StartAppAsync();

        using var response = await app.Client.PostAsync("/translate",
            new StringContent($$"""{"page_url":"{{TranslationHarness.CommunicationPage}}","target_language":"urdu"}""", System.Text.Encoding.UTF8, "application/json"), Cancel);

        var problem = await AssertFailureAsync(response, HttpStatusCode.ServiceUnavailable);
        var error = problem.GetProperty("error").GetString()!;
        Assert.Contains("COHERE_API_KEY", error, StringComparison.Ordinal);
        Assert.Contains("LLM_BASE_URL", error, StringComparison.Ordinal);
        Assert.Contains("LLM_MODEL", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"target_language":"urdu"}""")]
    [InlineData("""{"page_url":"","target_language":"urdu"}""")]
    [InlineData("""{"page_url":"ftp://example.com/docs/x","target_language":"urdu"}""")]
    [InlineData("""{"page_url":"http://localhost:3000/docs/ros2/communication","target_language":"klingon"}""")]
    [InlineData("""{"content":"   ","target_language":"urdu"}""")]
    [InlineData("""{"content":"Hello","format":"pdf","target_language":"urdu"}""")]
    [InlineData("""{"content":"<p>Hello <a href=\"/docs/intro\">intro</a></p>","format":"html","target_language":"urdu"}""")]
    [InlineData("""{"content":"<p>Hello</p>","format":" HTML ","target_language":"urdu"}""")]
    [InlineData("""{"page_url":42}""")]
    [InlineData("""not json""")]
    public async Task Translate_BadRequest_Is400WithAnActionableError(string body)
    {
        await using var t = await TranslationHarness.StartAsync();

        using var response = await t.PostAsync(body);

        await AssertFailureAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(0, t.Translator.Calls);
    }

    [Fact]
    public async Task Translate_ContentTooLarge_Is413()
    {
        await using var t = await TranslationHarness.StartAsync();

        using var response = await t.PostAsync(ContentBody(new string('a', 100_001)));

        await AssertFailureAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task AdminTranslate_PretranslatesTheBook_ThenReadersHitTheCache()
    {
        const string key = "admin-key-for-tests-0123456789";
        await using var t = await TranslationHarness.StartAsync(new Dictionary<string, string?> { ["ADMIN_API_KEY"] = key });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/manage/translate?lang=ur");
        request.Headers.Add("X-Admin-Key", key);

        using var response = await t.App.Client.SendAsync(request, Cancel);

        var report = await AssertOkAsync(response);
        Assert.True(report.GetProperty("pages").GetInt32() > 5);
        Assert.Equal(0, report.GetProperty("failed_pages").GetInt32());
        Assert.Equal(report.GetProperty("sections").GetInt32(), report.GetProperty("translated").GetInt32() + report.GetProperty("from_cache").GetInt32());
        var calls = t.Translator.Calls;
        Assert.True((await t.TranslatePageAsync()).GetProperty("cached").GetBoolean());
        Assert.Equal(calls, t.Translator.Calls);
    }

    [Fact]
    public async Task AdminTranslate_WithoutTheKey_IsRefused()
    {
        await using var t = await TranslationHarness.StartAsync(new Dictionary<string, string?> { ["ADMIN_API_KEY"] = "admin-key-for-tests-0123456789" });

        using var response = await t.App.Client.PostAsync("/manage/translate", null, Cancel);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, t.Translator.Calls);
    }

    private static string Paragraph(string word) => string.Join(' ', Enumerable.Repeat($"The {word} robot walks.", 90));

    private static string ContentBody(string content, string format = "markdown")
        => JsonSerializer.Serialize(new Dictionary<string, string> { ["content"] = content, ["format"] = format, ["target_language"] = "urdu" });

    private static async Task<JsonElement> AssertOkAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<JsonElement> AssertFailureAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var problem = await Problems.AssertAsync(response, status);
        Assert.False(problem.GetProperty("success").GetBoolean());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("error").GetString()));
        return problem;
    }

    [GeneratedRegex(@"(?m)^```[^\n]*\n[\s\S]*?^```[ \t]*$")]
    private static partial Regex FencedBlock();
}
