using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using RagFunctions.Tests.Fakes;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Chat;

/// <summary>
/// <c>citation_markers</c> through real HTTP: on by default for <c>/chat</c>, off by default for <c>/stream-chat</c>
/// (client A shows the answer as plain text and its sources unnumbered). Off: no <c>[n]</c> in tokens or answer, citations
/// still index the returned text. On: markers number <c>sources</c> in order, as <c>citations[].sources</c> say.
/// </summary>
public sealed partial class CitationMarkerTests
{
    private const string Question = "What does a URDF joint describe?";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>Both routes with the flag absent, true and false; null means the route's default.</summary>
    private static readonly (string Route, bool? Flag, bool Expected)[] Cases =
    [
        ("/chat", null, true),
        ("/chat", true, true),
        ("/chat", false, false),
        ("/stream-chat", null, false),
        ("/stream-chat", true, true),
        ("/stream-chat", false, false),
    ];

    [Fact]
    public async Task Extractive_MarkersFollowTheFlagAndEachRoutesDefault_WithTheSameSourcesAndCitations()
    {
        await using var app = await SampleBookIndex.StartAppAsync();

        await AssertCasesAsync(app, "extractive");
    }

    [Fact]
    public async Task Generative_MarkersFollowTheFlagAndEachRoutesDefault_WithTheSameSourcesAndCitations()
    {
        await using var cohere = await CohereDouble.StartAsync(Cancel);
        await using var app = await SampleBookWithCohere.StartAppAsync(cohere);

        await AssertCasesAsync(app, "generative");
    }

    [Theory]
    [InlineData("/chat", true)]
    [InlineData("/stream-chat", false)]
    [InlineData("/stream-chat", true)]
    public async Task Refusal_HasNoMarkersAndNoCitationsEitherWay(string route, bool markers)
    {
        await using var app = await SampleBookIndex.StartAppAsync();

        var (answer, tokens) = await AskAsync(app, route, "How does a harmonic drive gearbox work in a robot joint?", markers);

        Assert.Equal("refusal", answer.GetProperty("mode").GetString());
        Assert.DoesNotMatch(Marker(), answer.GetProperty("answer").GetString()!);
        Assert.Equal(0, answer.GetProperty("citations").GetArrayLength());
        Assert.NotEqual(0, answer.GetProperty("sources").GetArrayLength());
        if (tokens is not null)
        {
            Assert.Equal(answer.GetProperty("answer").GetString(), tokens);
        }
    }

    [Theory]
    [InlineData("/chat", "\"yes\"")]
    [InlineData("/chat", "1")]
    [InlineData("/stream-chat", "\"false\"")]
    [InlineData("/stream-chat", "{}")]
    public async Task BadValue_Is400ValidationProblemNamingTheField(string route, string value)
    {
        await using var app = await TestApp.StartAsync();

        using var response = await ChatContractTests.PostAsync(app, route, $$"""{"question":"What is a ROS 2 node?","citation_markers":{{value}}}""");

        var problem = await Problems.AssertAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("citation_markers", out _), problem.ToString());
    }

    [Theory]
    [InlineData("Nodes talk over topics [1]. A graph links them [2] [1]. Read data[0].")]
    [InlineData("[1] At the start, after a line\n[2] and data[0] or list [x] or [] stay [3]")]
    [InlineData("Two spaces  [1] and a marker run [1][2], data[0], then a bracket [12")]
    [InlineData("A table | with data[0]\n[1]\n\nA list:\n- item\n[2]")]
    public void MarkerFilter_OnAnyCutOfTheStream_GivesTheTextWithoutMarkers(string text)
    {
        var expected = RagFunctions.Chat.CitationMarkers.WithoutMarkers(Answer(text)).Answer;
        Assert.DoesNotMatch(@"[ \n]\[\d+\]", expected);
        Assert.False(expected.EndsWith('\n'), expected);
        Assert.Contains("data[0]", expected, StringComparison.Ordinal);
        for (var size = 1; size <= 4; size++)
        {
            var streamed = new System.Text.StringBuilder();
            var filter = new RagFunctions.Chat.MarkerFilter();
            for (var i = 0; i < text.Length; i += size)
            {
                streamed.Append(filter.Write(text.Substring(i, Math.Min(size, text.Length - i))));
            }

            streamed.Append(filter.Flush());
            Assert.Equal(expected, streamed.ToString());
        }
    }

    private static async Task AssertCasesAsync(TestApp app, string mode)
    {
        (JsonElement Answer, bool Markers)? reference = null;
        foreach (var (route, flag, expected) in Cases)
        {
            var label = $"{route}, citation_markers: {flag?.ToString() ?? "absent"}";
            var (answer, tokens) = await AskAsync(app, route, Question, flag);
            var text = answer.GetProperty("answer").GetString()!;
            var sources = answer.GetProperty("sources").GetArrayLength();
            var citations = answer.GetProperty("citations").EnumerateArray().ToArray();
            Assert.Equal(mode, answer.GetProperty("mode").GetString());
            Assert.NotEmpty(citations);

            // Every citation's offsets give its text in the answer as returned, and name real sources.
            foreach (var citation in citations)
            {
                var start = citation.GetProperty("start").GetInt32();
                var end = citation.GetProperty("end").GetInt32();
                Assert.Equal(citation.GetProperty("text").GetString(), text[start..end]);
                Assert.All(citation.GetProperty("sources").EnumerateArray(), s => Assert.InRange(s.GetInt32(), 0, sources - 1));
            }

            if (expected)
            {
                // Markers number the sources in order of first use, and each follows the citation that names its source.
                var numbers = Marker().Matches(text).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToArray();
                Assert.Equal(Enumerable.Range(1, sources), numbers.Distinct());
                foreach (var citation in citations)
                {
                    var after = MarkerRun().Match(text, citation.GetProperty("end").GetInt32());
                    Assert.True(after.Success && after.Index == citation.GetProperty("end").GetInt32(), label);
                    Assert.Equal(
                        citation.GetProperty("sources").EnumerateArray().Select(s => s.GetInt32() + 1),
                        Marker().Matches(after.Value).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)));
                }
            }
            else
            {
                Assert.DoesNotMatch(Marker(), text);
                Assert.True(tokens is null || !Marker().IsMatch(tokens), $"{label}: {tokens}");
                if (mode == "extractive" && tokens is not null)
                {
                    Assert.Equal(text, tokens);
                }
            }

            // The same sources, in the same order, and the same citations whether or not the text carries markers.
            if (reference is { } first)
            {
                Assert.Equal(Urls(first.Answer), Urls(answer));
                Assert.Equal(Cited(first.Answer), Cited(answer));
                var withMarkers = first.Markers ? first.Answer : answer;
                var withoutMarkers = first.Markers ? answer : first.Answer;
                if (first.Markers != expected)
                {
                    Assert.Equal(MarkerRun().Replace(withMarkers.GetProperty("answer").GetString()!, ""), withoutMarkers.GetProperty("answer").GetString());
                }
            }
            else
            {
                reference = (answer, expected);
            }
        }
    }

    /// <summary>The final answer, and for <c>/stream-chat</c> the streamed tokens joined.</summary>
    private static async Task<(JsonElement Answer, string? Tokens)> AskAsync(TestApp app, string route, string question, bool? markers)
    {
        var body = JsonSerializer.Serialize(markers is { } flag
            ? new Dictionary<string, object> { ["question"] = question, ["citation_markers"] = flag }
            : new Dictionary<string, object> { ["question"] = question });
        using var response = await ChatContractTests.PostAsync(app, route, body);
        var text = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        if (route == "/chat")
        {
            return (JsonDocument.Parse(text).RootElement.Clone(), null);
        }

        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Where(e => e.StartsWith("data: ", StringComparison.Ordinal))
            .Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement.Clone())
            .ToArray();
        var tokens = string.Concat(events[..^1].Select(e => e.GetProperty("token").GetString()));
        return (JsonDocument.Parse(events[^1].GetProperty("response").GetString()!).RootElement.Clone(), tokens);
    }

    private static RagFunctions.Chat.ChatAnswer Answer(string text)
        => new(text, [], "id", "extractive", true, false, [], [], 0);

    private static string[] Urls(JsonElement answer)
        => answer.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("url").GetString()!).ToArray();

    private static string[] Cited(JsonElement answer)
        => answer.GetProperty("citations").EnumerateArray()
            .Select(c => c.GetProperty("text").GetString() + " → " + string.Join(',', c.GetProperty("sources").EnumerateArray().Select(s => s.GetInt32())))
            .ToArray();

    [GeneratedRegex(@"\[(\d+)\]")]
    private static partial Regex Marker();

    [GeneratedRegex(@"(?:\s?\[\d+\])+")]
    private static partial Regex MarkerRun();
}
