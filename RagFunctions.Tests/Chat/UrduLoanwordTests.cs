using System.Text.Json;
using RagFunctions.Chat;
using RagFunctions.Retrieval.Vocabulary;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Chat;

/// <summary>
/// Urdu-script questions without a language model or a translated book: matched to the book by the English loanwords
/// they are written with (ٹاپک → topic) and spelled-out acronyms (یو آر ڈی ایف → urdf), answered in English from
/// the right page.
/// </summary>
public sealed class UrduLoanwordTests
{
    private const string Docs = "http://localhost:3000/docs/";

    /// <summary>Questions as an Urdu-speaking student writes them, and the page that answers each.</summary>
    public static readonly TheoryData<string, string> StudentQuestions = new()
    {
        { "آر او ایس ٹو میں ٹاپک کیا ہوتا ہے؟", "ros2/communication" },
        { "نوڈ کیسے بناتے ہیں؟", "ros2/communication" },
        { "سروس اور ایکشن میں کیا فرق ہے؟", "ros2/communication" },
        { "یو آر ڈی ایف فائل میں جوائنٹ کیسے لکھتے ہیں؟", "kinematics/urdf-basics" },
        { "گیزبو میں روبوٹ کی سمولیشن کیسے کریں؟", "simulation/gazebo-and-isaac-sim" },
        { "لائیڈار سینسر کیسے کام کرتا ہے؟", "perception/sensors-and-slam" },
        { "نیویگیشن میں کوسٹ میپ کیا ہے؟", "navigation/nav2" },
        { "روبوٹ کا توازن کیسے رکھتے ہیں؟ زیرو مومنٹ پوائنٹ کیا ہے؟", "locomotion/balance-and-gait" },
        { "کولکون سے صرف ایک پیکج کیسے بلڈ کریں؟", "ros2/launch-and-build" },
        { "ویژن لینگویج ایکشن ماڈل کیا ہوتا ہے؟", "vla/vision-language-action" },
    };

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("ٹاپک", "topic")]
    [InlineData("نوڈ", "node")]
    [InlineData("سروس", "service")]
    [InlineData("سمولیشن", "simulation")]
    [InlineData("پبلشر", "publisher")]
    [InlineData("نیویگیشن", "navigation")]
    public void Loanword_IsMatchedToTheBooksWord(string urdu, string english)
    {
        var book = new SpellingCorrector(
            new Dictionary<string, int> { ["topic"] = 30, ["topics"] = 20, ["node"] = 40, ["need"] = 5, ["end"] = 9, ["service"] = 12, ["simulation"] = 8, ["publisher"] = 6, ["navigation"] = 7, ["and"] = 90 },
            new HashSet<string>());

        Assert.Equal([english], UrduLoanwords.Match(urdu, book));
    }

    [Fact]
    public void SpelledOutAcronym_IsOneWordOfTheBook()
    {
        var book = new SpellingCorrector(new Dictionary<string, int> { ["urdf"] = 10, ["ros"] = 50 }, new HashSet<string>());

        Assert.Equal(["urdf", "ros"], UrduLoanwords.Match("یو آر ڈی ایف اور آر او ایس", book));
    }

    [Fact]
    public async Task StudentQuestions_Offline_AtLeastSixOfTen_AreAnsweredFromTheRightPage()
    {
        await using var app = await SampleBookIndex.StartAppAsync();
        var right = 0;
        var report = new List<string>();
        foreach (var row in StudentQuestions)
        {
            var (question, page) = (row.Data.Item1, row.Data.Item2);
            var json = await ChatContractTests.PostJsonAsync(app, "/chat", JsonSerializer.Serialize(new { question }));
            var sources = json.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("url").GetString()!).ToArray();
            var answered = json.GetProperty("mode").GetString() == "extractive" && sources.Length > 0 && (sources[0] == Docs + page || sources[0].StartsWith(Docs + page + "#", StringComparison.Ordinal));
            right += answered ? 1 : 0;
            report.Add($"{(answered ? "right" : "WRONG")} | {question} | {json.GetProperty("standalone_question")} | {string.Join(' ', sources.Take(1))} | {json.GetProperty("answer").GetString()!.ReplaceLineEndings(" ")}");
        }

        TestContext.Current.TestOutputHelper?.WriteLine(string.Join('\n', report));
        Assert.True(right >= 6, $"{right} of 10 answered from the right page:\n{string.Join('\n', report)}");
    }
}
