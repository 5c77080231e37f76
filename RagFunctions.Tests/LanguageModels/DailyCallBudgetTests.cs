using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RagFunctions.Hosting;
using RagFunctions.LanguageModels;
using RagFunctions.Tests.Chat;
using RagFunctions.Tests.Fakes;
using RagFunctions.Tests.Support;
using RagFunctions.Tests.Translation;

namespace RagFunctions.Tests.LanguageModels;

public sealed class DailyCallBudgetTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void Budget_AllowsTheLimitPerUtcDay_ThenSaysHowLongUntilMidnight_AndRenewsTheNextDay()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        var budget = new DailyCallBudget(Options.Create(new LlmOptions { DailyCallLimit = 2 }), clock);

        Assert.True(budget.TryTake(out _));
        Assert.True(budget.TryTake(out _));
        Assert.False(budget.TryTake(out var retryAfter));
        Assert.Equal(TimeSpan.FromHours(15), retryAfter);
        Assert.Equal(2, budget.Used);

        clock.Advance(TimeSpan.FromHours(15));
        Assert.Equal(0, budget.Used);
        Assert.True(budget.TryTake(out _));
    }

    [Fact]
    public void ZeroLimit_NeverRunsOut()
    {
        var budget = new DailyCallBudget(Options.Create(new LlmOptions { DailyCallLimit = 0 }), new FakeTimeProvider());

        Assert.All(Enumerable.Range(0, 5000), _ => Assert.True(budget.TryTake(out TimeSpan _)));
    }

    [Fact]
    public async Task PastTheBudget_ChatAnswersExtractivelyDegraded_TranslateAnswers429_AndCohereIsNotCalled()
    {
        await using var cohere = await CohereDouble.StartAsync(Cancel);
        await using var app = await SampleBookWithCohere.StartAppAsync(cohere, extra: new Dictionary<string, string?> { [EnvironmentVariables.LlmDailyCallLimit] = "1" });

        var first = await ChatContractTests.PostJsonAsync(app, "/chat", """{"question":"What is a ROS 2 topic?"}""");
        Assert.Equal("generative", first.GetProperty("mode").GetString());
        var calls = cohere.RequestsTo(CohereDouble.ChatPath).Count;

        var second = await ChatContractTests.PostJsonAsync(app, "/chat", """{"question":"How does AMCL localise the robot?"}""");
        Assert.Equal("extractive", second.GetProperty("mode").GetString());
        Assert.True(second.GetProperty("degraded").GetBoolean());
        Assert.NotEmpty(second.GetProperty("sources").EnumerateArray());
        Assert.Contains("The daily budget of 1 language-model calls is spent", app.Logs.All, StringComparison.Ordinal);

        using var translate = await app.Client.PostAsJsonAsync(
            "/translate", new { page_url = TranslationHarness.CommunicationPage, target_language = "urdu" }, Cancel);
        var problem = await Problems.AssertAsync(translate, HttpStatusCode.TooManyRequests);
        Assert.False(problem.GetProperty("success").GetBoolean());
        Assert.Contains("budget", problem.GetProperty("error").GetString(), StringComparison.Ordinal);
        var retryAfter = long.Parse(Assert.Single(translate.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 24 * 3600);
        Assert.Equal(calls, cohere.RequestsTo(CohereDouble.ChatPath).Count);

        using var health = await app.Client.GetAsync("/health", Cancel);
        var llm = System.Text.Json.JsonDocument.Parse(await health.Content.ReadAsStringAsync(Cancel)).RootElement.GetProperty("services").GetProperty("llm");
        Assert.Equal(1, llm.GetProperty("calls_today").GetInt32());
        Assert.Equal(1, llm.GetProperty("daily_call_limit").GetInt32());
    }
}
