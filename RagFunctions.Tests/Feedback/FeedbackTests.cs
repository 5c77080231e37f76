using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RagFunctions.Feedback;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Feedback;

/// <summary><c>POST /feedback</c> and the gap report, through real HTTP on the standalone host over the sample book.</summary>
public sealed class FeedbackTests
{
    private const string AdminKey = "admin-key-0123456789abcdef";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Feedback_ThumbsDownAndRefusals_ShowUpInTheReportByChapter()
    {
        await using var app = await SampleBookIndex.StartAppAsync(new Dictionary<string, string?> { ["ADMIN_API_KEY"] = AdminKey });
        var answered = await ChatAsync(app, "What does a URDF joint describe?");
        var refused = await ChatAsync(app, "What is the best recipe for chocolate cake?");
        Assert.Equal("refusal", refused.GetProperty("mode").GetString());

        using var rated = await PostAsync(app, "/feedback",
            $$"""{"answer_id":"{{answered.GetProperty("answer_id").GetString()}}","rating":"down","reason":"incomplete","comment":"Missing the limits."}""");
        using var report = await GetReportAsync(app, AdminKey);

        Assert.Equal(HttpStatusCode.OK, rated.StatusCode);
        using var accepted = JsonDocument.Parse(await rated.Content.ReadAsStringAsync(Cancel));
        Assert.Matches("^[0-9a-f]{32}$", accepted.RootElement.GetProperty("feedback_id").GetString());
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        using var json = JsonDocument.Parse(await report.Content.ReadAsStringAsync(Cancel));
        Assert.Equal(1, json.RootElement.GetProperty("refused").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("thumbs_down").GetInt32());
        var questions = json.RootElement.GetProperty("chapters").EnumerateArray()
            .SelectMany(c => c.GetProperty("questions").EnumerateArray().Select(q => (Chapter: c.GetProperty("chapter").GetString(), Question: q)))
            .ToArray();
        var down = Assert.Single(questions, q => q.Question.GetProperty("question").GetString() == "What does a URDF joint describe?");
        Assert.False(string.IsNullOrWhiteSpace(down.Chapter));
        Assert.Equal("incomplete", Assert.Single(down.Question.GetProperty("reasons").EnumerateArray()).GetString());
        Assert.Contains(questions, q => q.Question.GetProperty("question").GetString() == "What is the best recipe for chocolate cake?"
                                        && q.Question.GetProperty("refused").GetInt32() == 1);
        Assert.DoesNotContain("Missing the limits", json.RootElement.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", json.RootElement.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feedback_UnknownAnswerId_Is404ProblemDetails()
    {
        await using var app = await TestApp.StartAsync();

        using var response = await PostAsync(app, "/feedback", """{"answer_id":"0123456789abcdef0123456789abcdef","rating":"up"}""");

        await Problems.AssertAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("""{"rating":"up"}""", "answer_id")]
    [InlineData("""{"answer_id":"a b","rating":"up"}""", "answer_id")]
    [InlineData("""{"answer_id":"abc","rating":"meh"}""", "rating")]
    [InlineData("""{"answer_id":"abc","rating":"down","reason":"boring"}""", "reason")]
    public async Task Feedback_InvalidField_Is400NamingTheField(string body, string field)
    {
        await using var app = await TestApp.StartAsync();

        using var response = await PostAsync(app, "/feedback", body);

        var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Feedback_CommentOver1000Characters_Is400()
    {
        await using var app = await TestApp.StartAsync();

        using var response = await PostAsync(app, "/feedback", $$"""{"answer_id":"abc","rating":"down","comment":"{{new string('x', 1001)}}"}""");

        var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("comment", out _));
    }

    [Fact]
    public async Task Feedback_BodyOver4KB_Is413()
    {
        await using var app = await TestApp.StartAsync();

        using var response = await PostAsync(app, "/feedback", $$"""{"answer_id":"abc","rating":"down","comment":"{{new string('x', 5000)}}"}""");

        await Problems.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Report_WithoutTheAdminKey_Is401_AndWithoutAdminConfigured_Is404()
    {
        await using var guarded = await TestApp.StartAsync(new Dictionary<string, string?> { ["ADMIN_API_KEY"] = AdminKey });
        await using var open = await TestApp.StartAsync();

        using var wrong = await GetReportAsync(guarded, "not-the-key");
        using var off = await GetReportAsync(open, AdminKey);

        await Problems.AssertAsync(wrong, HttpStatusCode.Unauthorized);
        await Problems.AssertAsync(off, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Report_ChaptersOfABookNoLongerIndexed_AreLeftOutAndCounted()
    {
        await using var app = await SampleBookIndex.StartAppAsync(new Dictionary<string, string?> { ["ADMIN_API_KEY"] = AdminKey });
        await app.StartupIngestion;
        using var pages = JsonDocument.Parse(await app.Client.GetStringAsync("/pages", Cancel));
        var page = pages.RootElement.GetProperty("pages")[0];
        var store = app.Services.GetRequiredService<IFeedbackStore>();
        var now = DateTimeOffset.UtcNow;
        await store.RecordAnswerAsync(new AnswerRecord("a1", "Still in the book?", "refusal", "Old title", page.GetProperty("url").GetString(), now, Refused: true), Cancel);
        await store.RecordAnswerAsync(new AnswerRecord("a2", "From the previous book?", "refusal", "Gazebo Basics", "https://old-book.example/docs/gazebo", now, Refused: true), Cancel);

        using var report = await GetReportAsync(app, AdminKey);

        using var json = JsonDocument.Parse(await report.Content.ReadAsStringAsync(Cancel));
        var chapter = Assert.Single(json.RootElement.GetProperty("chapters").EnumerateArray());
        Assert.Equal(page.GetProperty("title").GetString(), chapter.GetProperty("chapter").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("refused").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("not_indexed").GetInt32());
    }

    [Fact]
    public void ReportVerb_IsAJob()
        => Assert.True(RagFunctions.Hosting.CommandLine.IsJob(["report"], AppServices.Verbs));

    private static async Task<JsonElement> ChatAsync(TestApp app, string question)
    {
        using var response = await PostAsync(app, "/chat", JsonSerializer.Serialize(new Dictionary<string, string> { ["question"] = question }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel));
        return json.RootElement.Clone();
    }

    private static async Task<HttpResponseMessage> PostAsync(TestApp app, string path, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        return await app.Client.PostAsync(path, content, Cancel);
    }

    private static async Task<HttpResponseMessage> GetReportAsync(TestApp app, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/manage/report");
        request.Headers.Add("X-Admin-Key", key);
        return await app.Client.SendAsync(request, Cancel);
    }
}
