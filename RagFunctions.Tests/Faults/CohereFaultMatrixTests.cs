using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using RagFunctions.Tests.Fakes;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Faults;

/// <summary>
/// Cohere × endpoints: each Cohere outage (one that outlasts the retries) against <c>/chat</c>, <c>/stream-chat</c> and
/// <c>/translate</c> on one running app; then Cohere heals and the same app is generative again, without a restart.
/// Chat falls back to the extractive answer (<c>degraded: true</c>) and logs the cause; translation, which has no
/// fallback, answers a 429 or 503 ProblemDetails, with <c>Retry-After</c> when Cohere said how long to wait.
/// </summary>
public sealed class CohereFaultMatrixTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>
    /// fault | what the chat log line says (a regex) | /translate status | its Retry-After (s).
    /// "stream dies halfway" concerns streamed answers only: translation asks for whole answers, so it is unaffected;
    /// "connection dropped" is the same failure before any byte, which translation does meet.
    /// </summary>
    public static TheoryData<string, string, HttpStatusCode, int?> Matrix => new()
    {
        { "401 invalid key", "Cohere connection failed: 401 invalid API key", HttpStatusCode.ServiceUnavailable, null },
        { "429 with Retry-After", "Cohere rate limited: 429, retry after 30 s", HttpStatusCode.TooManyRequests, 30 },
        { "429 without Retry-After", "Cohere rate limited: 429(?!, retry)", HttpStatusCode.TooManyRequests, null },
        { "500", "Cohere unavailable: 500", HttpStatusCode.ServiceUnavailable, null },
        { "503", "Cohere unavailable: 503", HttpStatusCode.ServiceUnavailable, null },
        { "timeout", "Cohere timed out after 1 s", HttpStatusCode.ServiceUnavailable, null },
        { "connection dropped", "Cohere connection failed: ", HttpStatusCode.ServiceUnavailable, null },
        { "stream dies halfway", "Cohere (stream ended early|connection failed: )", HttpStatusCode.OK, null },
        { "malformed JSON", "Cohere returned malformed JSON", HttpStatusCode.ServiceUnavailable, null },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task CohereOutage_ChatDegrades_TranslateFailsClearly_AndAllRecoverWithoutARestart(
        string fault, string logLine, HttpStatusCode translateStatus, int? retryAfterSeconds)
    {
        await using var cohere = await CohereDouble.StartAsync(Cancel);
        cohere.Respond = new FakeTranslator().Respond;
        await using var app = await SampleBookWithCohere.StartAppAsync(cohere, options =>
        {
            options.AttemptTimeout = TimeSpan.FromSeconds(1);
            options.StreamIdleTimeout = TimeSpan.FromSeconds(1);
        });

        Break(cohere, fault);

        var chat = await FaultRequests.ChatAnswerAsync(app);
        AssertDegraded(chat);
        var degradedLine = new Regex(logLine + "[^;]*; answering extractively \\(degraded\\)");
        Assert.True(app.Logs.Lines.Any(l => degradedLine.IsMatch(l) && l.Contains("function=chat", StringComparison.Ordinal)), app.Logs.All);

        var (tokens, streamed) = await FaultRequests.StreamAnswerAsync(app);
        AssertDegraded(streamed);
        Assert.NotEmpty(tokens);
        Assert.True(app.Logs.Lines.Any(l => degradedLine.IsMatch(l) && l.Contains("function=stream-chat", StringComparison.Ordinal)), app.Logs.All);

        using (var translate = await FaultRequests.TranslateContentAsync(app))
        {
            if (translateStatus == HttpStatusCode.OK)
            {
                Assert.Equal(HttpStatusCode.OK, translate.StatusCode);
            }
            else
            {
                var problem = await Problems.AssertAsync(translate, translateStatus);
                Assert.False(problem.GetProperty("success").GetBoolean());
                Assert.Contains("try again", problem.GetProperty("error").GetString(), StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("Cohere", problem.GetRawText(), StringComparison.Ordinal);
                Assert.Equal(retryAfterSeconds, (int?)translate.Headers.RetryAfter?.Delta?.TotalSeconds);
            }
        }

        Assert.DoesNotContain(cohere.ApiKey, app.Logs.All, StringComparison.Ordinal);

        cohere.Heal();

        var healed = await FaultRequests.ChatAnswerAsync(app);
        Assert.Equal("generative", healed.GetProperty("mode").GetString());
        Assert.False(healed.GetProperty("degraded").GetBoolean());
        var (_, healedStream) = await FaultRequests.StreamAnswerAsync(app);
        Assert.Equal("generative", healedStream.GetProperty("mode").GetString());
        Assert.False(healedStream.GetProperty("degraded").GetBoolean());
        using var translated = await FaultRequests.TranslateContentAsync(app);
        Assert.Equal(HttpStatusCode.OK, translated.StatusCode);
        Assert.Contains(FakeTranslator.Marker, await translated.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
    }

    private static void Break(CohereDouble cohere, string fault)
    {
        switch (fault)
        {
            case "401 invalid key":
                cohere.FailEvery(CohereDouble.ChatPath, CohereFault.Status(401));
                break;
            case "429 with Retry-After":
                // Longer than the client is willing to wait (MaxRetryAfter): it gives up at once and passes the wait on.
                cohere.FailEvery(CohereDouble.ChatPath, CohereFault.RateLimited(retryAfter: "30"));
                break;
            case "429 without Retry-After":
                cohere.FailEvery(CohereDouble.ChatPath, CohereFault.RateLimited());
                break;
            case "500":
                cohere.FailEvery(CohereDouble.ChatPath, CohereFault.ServerError);
                break;
            case "503":
                cohere.FailEvery(CohereDouble.ChatPath, CohereFault.Unavailable);
                break;
            case "timeout":
                cohere.FailEvery(CohereDouble.ChatPath, CohereFault.Slow(TimeSpan.FromMinutes(1)));
                break;
            case "connection dropped":
                cohere.FailEvery(CohereDouble.ChatPath, CohereFault.Disconnect);
                break;
            case "stream dies halfway":
                cohere.DisconnectAfterTokens = 2;
                break;
            case "malformed JSON":
                cohere.FailEvery(CohereDouble.ChatPath, CohereFault.MalformedJson);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(fault), fault, "not in the matrix");
        }
    }

    private static void AssertDegraded(JsonElement answer)
    {
        Assert.Equal("extractive", answer.GetProperty("mode").GetString());
        Assert.True(answer.GetProperty("degraded").GetBoolean());
        Assert.NotEmpty(answer.GetProperty("sources").EnumerateArray());
    }
}
