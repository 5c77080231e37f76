using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using RagFunctions.Chat;
using RagFunctions.Translation;
using RagFunctions.Tests.Fakes;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Chat;

/// <summary>
/// Questions in Urdu and Roman Urdu through <c>/chat</c>: with a language model (the Cohere double) they are rewritten
/// into English to search the book and answered in Urdu; offline they are matched against the book's stored Urdu
/// translation, or told plainly what the server lacks; refusals come in the reader's language.
/// </summary>
public sealed class UrduQuestionTests
{
    private const string UrduTopicQuestion = "ROS 2 میں ٹاپک کیا ہوتا ہے؟";
    private const string EnglishTopicQuestion = "What is a topic in ROS 2?";
    private const string UrduAnswer = "ٹاپک پیغامات کا ایک نامزد سلسلہ ہے۔";
    private const string TopicsSection = "http://localhost:3000/docs/ros2/communication#topics";
    private const string AdminKey = "admin-key-for-tests-0123456789";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UrduQuestion_WithAModel_IsRewrittenIntoEnglishForRetrieval_AndAnsweredInUrdu()
    {
        await using var cohere = await CohereDouble.StartAsync(Cancel);
        cohere.Respond = request => IsRewrite(request) ? EnglishTopicQuestion : UrduAnswer;
        await using var app = await SampleBookWithCohere.StartAppAsync(cohere);

        var json = await PostAsync(app, new { question = UrduTopicQuestion });

        Assert.Equal("generative", json.GetProperty("mode").GetString());
        Assert.Equal(UrduAnswer, json.GetProperty("answer").GetString());
        Assert.Equal(EnglishTopicQuestion, json.GetProperty("standalone_question").GetString());
        var calls = cohere.RequestsTo(CohereDouble.ChatPath).Select(r => r.Json).ToArray();
        Assert.Equal(2, calls.Length);
        Assert.Contains(UrduTopicQuestion, Messages(calls[0]), StringComparison.Ordinal);
        var answering = calls[1];
        Assert.Contains("Answer in this language: Urdu", Messages(answering), StringComparison.Ordinal);
        Assert.Contains($"{UrduTopicQuestion}\n(In English: {EnglishTopicQuestion})", Messages(answering), StringComparison.Ordinal);
        var documents = answering.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("data").GetProperty("url").GetString()).ToArray();
        Assert.Contains(TopicsSection, documents);
    }

    [Fact]
    public async Task UrduQuestionTheBookDoesNotCover_WithAModel_IsRefusedInUrdu_WithoutAnAnswerCall()
    {
        await using var cohere = await CohereDouble.StartAsync(Cancel);
        cohere.Respond = request => IsRewrite(request) ? "What is the weather in Lahore today?" : "Sunny.";
        await using var app = await SampleBookWithCohere.StartAppAsync(cohere);

        var json = await PostAsync(app, new { question = "آج لاہور میں موسم کیسا ہے؟" });

        Assert.Equal("refusal", json.GetProperty("mode").GetString());
        Assert.Equal(UrduRefusal(json), json.GetProperty("answer").GetString());
        Assert.Single(cohere.RequestsTo(CohereDouble.ChatPath));
    }

    [Fact]
    public async Task UrduQuestion_TheModelSaysTheBookDoesNotCover_IsRefusedInUrdu()
    {
        await using var cohere = await CohereDouble.StartAsync(Cancel);
        cohere.Respond = request => IsRewrite(request) ? EnglishTopicQuestion : "The book does not cover this.";
        await using var app = await SampleBookWithCohere.StartAppAsync(cohere);

        var json = await PostAsync(app, new { question = UrduTopicQuestion });

        Assert.Equal("refusal", json.GetProperty("mode").GetString());
        Assert.Equal(UrduRefusal(json), json.GetProperty("answer").GetString());
    }

    [Fact]
    public async Task EnglishQuestion_WithLanguageUrdu_IsRefusedInUrdu()
    {
        await using var app = await SampleBookIndex.StartAppAsync();

        var json = await PostAsync(app, new { question = "What is the best recipe for sourdough bread?", language = "urdu" });

        Assert.Equal("refusal", json.GetProperty("mode").GetString());
        Assert.Equal(UrduRefusal(json), json.GetProperty("answer").GetString());
    }

    [Fact]
    public async Task UrduQuestion_Offline_WithThePreTranslatedBook_IsAnsweredFromTheUrduSections_CitingTheEnglishSection()
    {
        var dataDir = await SampleBookIndex.CopyAsync();
        await using (var cohere = await CohereDouble.StartAsync(Cancel))
        {
            cohere.Respond = new FakeTranslator(new Dictionary<string, string> { ["topic"] = "ٹاپک", ["topics"] = "ٹاپکس", ["messages"] = "پیغامات" }).Respond;
            await using var translating = await TestApp.StartAsync(new Dictionary<string, string?>
            {
                ["RAG_DATA_DIR"] = dataDir,
                ["COHERE_API_KEY"] = cohere.ApiKey,
                ["COHERE_BASE_URL"] = cohere.BaseUrl,
                ["ADMIN_API_KEY"] = AdminKey,
            });
            using var request = new HttpRequestMessage(HttpMethod.Post, "/manage/translate?lang=ur");
            request.Headers.Add("X-Admin-Key", AdminKey);
            using var response = await translating.Client.SendAsync(request, Cancel);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(Cancel));
        }

        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["RAG_DATA_DIR"] = dataDir });
        var json = await PostAsync(app, new { question = UrduTopicQuestion });

        Assert.Equal("extractive", json.GetProperty("mode").GetString());
        var answer = json.GetProperty("answer").GetString()!;
        Assert.Contains("ٹاپک", answer, StringComparison.Ordinal);
        Assert.Matches(@"\[1\]", answer);
        Assert.Equal(TopicsSection, json.GetProperty("sources")[0].GetProperty("url").GetString());
    }

    [Fact]
    public async Task UrduQuestion_Offline_WithoutATranslation_IsAnsweredInEnglishByItsLoanwords_UnderAnUrduNote()
    {
        await using var app = await SampleBookIndex.StartAppAsync();

        var json = await PostAsync(app, new { question = UrduTopicQuestion });

        Assert.Equal("extractive", json.GetProperty("mode").GetString());
        var answer = json.GetProperty("answer").GetString()!;
        Assert.StartsWith("کتاب انگریزی میں ہے", answer, StringComparison.Ordinal);
        Assert.Contains("topic", json.GetProperty("standalone_question").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("language model", answer, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(TopicsSection, json.GetProperty("sources")[0].GetProperty("url").GetString());
    }

    [Fact]
    public async Task UrduQuestion_Offline_WithNoWordOfTheBook_SaysClearlyThatNothingMatched()
    {
        await using var app = await SampleBookIndex.StartAppAsync();

        var json = await PostAsync(app, new { question = "آج لاہور میں موسم کیسا ہے؟" });

        Assert.Equal("refusal", json.GetProperty("mode").GetString());
        Assert.Equal(RtlIsolates.Text(QuestionLanguage.UrduNothingMatched), json.GetProperty("answer").GetString());
        Assert.Equal("rtl", json.GetProperty("dir").GetString());
        Assert.Empty(json.GetProperty("sources").EnumerateArray());
    }

    [Fact]
    public async Task UrduQuestion_WithAModelThatRewritesInUrdu_AsksAgainStrictly_ThenMatchesLoanwords_AndIsAnsweredFromTheBook()
    {
        await using var cohere = await CohereDouble.StartAsync(Cancel);
        const string cited = "ٹاپک پیغامات کا ایک نامزد سلسلہ ہے [1]۔";
        cohere.Respond = request => IsRewrite(request) ? "ROS 2 میں ٹاپک کیا ہے؟" : cited;
        await using var app = await SampleBookWithCohere.StartAppAsync(cohere);

        var json = await PostAsync(app, new { question = UrduTopicQuestion });

        Assert.Equal("generative", json.GetProperty("mode").GetString());
        Assert.True(json.GetProperty("grounded").GetBoolean(), json.ToString());
        Assert.Contains("ٹاپک پیغامات", json.GetProperty("answer").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("language model", json.GetProperty("answer").GetString(), StringComparison.OrdinalIgnoreCase);
        var calls = cohere.RequestsTo(CohereDouble.ChatPath).Select(r => r.Json).ToArray();
        Assert.Equal(3, calls.Length);
        Assert.Contains("never in Urdu", Messages(calls[1]), StringComparison.Ordinal);
        var documents = calls[2].GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("data").GetProperty("url").GetString()).ToArray();
        Assert.Contains(TopicsSection, documents);
        Assert.Contains("Answer in this language: Urdu", Messages(calls[2]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UrduQuestion_WithAModelThatRewritesInUrduOnce_UsesTheStrictRetry()
    {
        await using var cohere = await CohereDouble.StartAsync(Cancel);
        cohere.Respond = request => !IsRewrite(request) ? UrduAnswer
            : Messages(request).Contains("never in Urdu", StringComparison.Ordinal) ? EnglishTopicQuestion : "ROS 2 میں ٹاپک کیا ہے؟";
        await using var app = await SampleBookWithCohere.StartAppAsync(cohere);

        var json = await PostAsync(app, new { question = UrduTopicQuestion });

        Assert.Equal("generative", json.GetProperty("mode").GetString());
        Assert.Equal(EnglishTopicQuestion, json.GetProperty("standalone_question").GetString());
        Assert.Equal(3, cohere.RequestsTo(CohereDouble.ChatPath).Count());
    }

    [Fact]
    public async Task UrduAnswer_IsMarkedRightToLeft_WithItsCommandsIsolated_InChatAndInTheStreamsFinalResponse()
    {
        const string answer = "ٹاپک دیکھنے کے لیے ros2 topic list چلائیں [1]۔";
        await using var cohere = await CohereDouble.StartAsync(Cancel);
        cohere.Respond = request => IsRewrite(request) ? EnglishTopicQuestion : answer;
        await using var app = await SampleBookWithCohere.StartAppAsync(cohere);

        var json = await PostAsync(app, new { question = UrduTopicQuestion });
        var (_, streamed) = await Faults.FaultRequests.StreamAnswerAsync(app, UrduTopicQuestion);
        var english = await PostAsync(app, new { question = EnglishTopicQuestion });

        Assert.Equal("rtl", json.GetProperty("dir").GetString());
        Assert.Contains("\u2066ros2 topic list\u2069", json.GetProperty("answer").GetString(), StringComparison.Ordinal);
        Assert.Equal("rtl", streamed.GetProperty("dir").GetString());
        Assert.Contains("\u2066ros2 topic list\u2069", streamed.GetProperty("answer").GetString(), StringComparison.Ordinal);
        Assert.Equal("ltr", english.GetProperty("dir").GetString());
        Assert.DoesNotContain('\u2066', english.GetProperty("answer").GetString()!);
    }

    [Fact]
    public async Task RomanUrduQuestion_Offline_IsSearchedByItsEnglishTerms()
    {
        await using var app = await SampleBookIndex.StartAppAsync();

        var json = await PostAsync(app, new { question = "ROS 2 mein topic kya hota hai?" });

        Assert.Equal("extractive", json.GetProperty("mode").GetString());
        Assert.Contains(json.GetProperty("sources").EnumerateArray(), s => s.GetProperty("url").GetString() == TopicsSection);
    }

    [Theory]
    [InlineData("colcon se sirf ek package kaise build karein?", "ros2/launch-and-build#building-with-colcon")]
    [InlineData("launch file mein arguments kaise pass karte hain?", "ros2/launch-and-build#launch-arguments")]
    [InlineData("MoveIt 2 ka default planner kaunsa hai?", "manipulation/grasping-and-moveit#planning-pipelines")]
    [InlineData("imu yaw drift kyun hota hai", "perception/sensors-and-slam#inertial-measurement-units")]
    [InlineData("nav2 costmap mein 254 ka matlab kya hai", "navigation/nav2#costmaps")]
    public async Task RomanUrduQuestions_Offline_FindTheirSection(string question, string section)
    {
        await using var app = await SampleBookIndex.StartAppAsync();

        var json = await PostAsync(app, new { question });

        Assert.Equal("extractive", json.GetProperty("mode").GetString());
        Assert.Equal("http://localhost:3000/docs/" + section, json.GetProperty("sources")[0].GetProperty("url").GetString());
    }

    [Fact]
    public async Task RomanUrduQuestionTheBookDoesNotCover_IsRefusedInRomanUrdu()
    {
        await using var app = await SampleBookIndex.StartAppAsync();

        var json = await PostAsync(app, new { question = "biryani banane ka tarika kya hai?" });

        Assert.Equal("refusal", json.GetProperty("mode").GetString());
        Assert.StartsWith("Yeh mauzoo kitaab mein shamil nazar nahi aata.", json.GetProperty("answer").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MisspeltQuestion_IsCorrectedAgainstTheBook_AndAnswered()
    {
        await using var app = await SampleBookIndex.StartAppAsync();

        var json = await PostAsync(app, new { question = "colcon buld only one pakage" });

        Assert.Equal("extractive", json.GetProperty("mode").GetString());
        Assert.Equal("colcon build only one package", json.GetProperty("standalone_question").GetString());
        Assert.True(json.GetProperty("answer").GetString()!.Contains("--packages-select", StringComparison.Ordinal), json.ToString());
    }

    [Fact]
    public async Task MisspeltQuestion_FindsTheSectionThatTheCorrectlySpeltQuestionFinds()
    {
        await using var app = await SampleBookIndex.StartAppAsync();

        var misspelt = await PostAsync(app, new { question = "diffrence between servises and actoins in ros2" });
        var spelt = await PostAsync(app, new { question = "difference between services and actions in ros2" });

        Assert.NotEqual("refusal", misspelt.GetProperty("mode").GetString());
        Assert.Equal(spelt.GetProperty("sources")[0].GetProperty("url").GetString(), misspelt.GetProperty("sources")[0].GetProperty("url").GetString());
    }

    [Fact]
    public async Task BorderlineQuestion_IsLeftToTheModel_WhichMayAnswerIt()
    {
        const string question = "lidar wavelenght";
        await using var offline = await SampleBookIndex.StartAppAsync();
        await using var cohere = await CohereDouble.StartAsync(Cancel);
        await using var withModel = await SampleBookWithCohere.StartAppAsync(cohere);
        var (query, _) = ChatRequestValidator.Validate(new ChatRequest { Question = question });
        var prepared = await withModel.Services.GetRequiredService<ChatService>().PrepareAsync(query!, Cancel);
        Assert.Equal(Evidence.Borderline, prepared.Evidence);

        var refused = await PostAsync(offline, new { question });
        var answered = await PostAsync(withModel, new { question });

        Assert.Equal("refusal", refused.GetProperty("mode").GetString());
        Assert.Equal("generative", answered.GetProperty("mode").GetString());
        Assert.Single(cohere.RequestsTo(CohereDouble.ChatPath));
    }

    /// <summary>The Urdu refusal that goes with the answer's sources: it points to the closest sections only when it lists some.</summary>
    private static string UrduRefusal(JsonElement answer) => new QuestionLanguage(QuestionScript.Urdu, null).Refusal(answer.GetProperty("sources").GetArrayLength() > 0);

    private static bool IsRewrite(JsonElement request) => Messages(request).Contains("Write it in English", StringComparison.Ordinal);

    /// <summary>The text of every message of a request to the model, one per line.</summary>
    private static string Messages(JsonElement request) => string.Join('\n', request.GetProperty("messages").EnumerateArray().Select(FakeTranslator.Content));

    private static Task<JsonElement> PostAsync(TestApp app, object body)
        => ChatContractTests.PostJsonAsync(app, "/chat", JsonSerializer.Serialize(body));
}
