using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Timeout;
using RagFunctions.Cohere;
using RagFunctions.Retrieval.Embeddings;
using RagFunctions.Tests.Fakes;
using static RagFunctions.Tests.Cohere.CohereChatClientTests;
using static RagFunctions.Tests.Cohere.CohereHarness;

namespace RagFunctions.Tests.Cohere;

public sealed class CohereResilienceTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetResponseAsync_RateLimitedWithRetryAfter_WaitsThenAnswersOnce()
    {
        await using var harness = await StartAsync();
        harness.Cohere.Enqueue(CohereDouble.ChatPath, CohereFault.RateLimited(retryAfterMs: 200));

        var started = Stopwatch.StartNew();
        var response = await harness.Chat.GetResponseAsync(Question, WithDocuments(Ros), Cancel);

        Assert.Equal(ExpectedAnswer(Ros), response.Text);
        Assert.Equal(2, harness.Cohere.RequestsTo(CohereDouble.ChatPath).Count);
        // .NET timers may fire a millisecond or so early by the stopwatch's clock.
        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(190), $"retried after {started.Elapsed}");
        Assert.Contains("Cohere rate limited: 429, retrying in 0.2 s", harness.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponseAsync_TwoRateLimitsWithoutRetryAfter_BackOffThenAnswer()
    {
        await using var harness = await StartAsync();
        harness.Cohere.Enqueue(CohereDouble.ChatPath, CohereFault.RateLimited(), CohereFault.RateLimited());

        var response = await harness.Chat.GetResponseAsync(Question, WithDocuments(Ros), Cancel);

        Assert.Equal(ExpectedAnswer(Ros), response.Text);
        Assert.Equal(3, harness.Cohere.RequestsTo(CohereDouble.ChatPath).Count);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task GetResponseAsync_TransientStatusOnce_IsRetried(int status)
    {
        await using var harness = await StartAsync();
        harness.Cohere.Enqueue(CohereDouble.ChatPath, CohereFault.Status(status));

        var response = await harness.Chat.GetResponseAsync(Question, WithDocuments(Ros), Cancel);

        Assert.Equal(ExpectedAnswer(Ros), response.Text);
        Assert.Equal(2, harness.Cohere.RequestsTo(CohereDouble.ChatPath).Count);
        Assert.Contains($"Cohere unavailable: {status}, retrying in ", harness.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponseAsync_ServerErrorsBeyondTheBudget_ThrowAfterThreeCalls()
    {
        await using var harness = await StartAsync();
        harness.Cohere.Enqueue(CohereDouble.ChatPath, CohereFault.ServerError, CohereFault.ServerError, CohereFault.ServerError);

        var error = await Assert.ThrowsAsync<CohereException>(() => harness.Chat.GetResponseAsync(Question, WithDocuments(Ros), Cancel));

        Assert.Equal(500, error.Status);
        Assert.Equal("Cohere unavailable: 500", error.Message);
        Assert.Equal(3, harness.Cohere.RequestsTo(CohereDouble.ChatPath).Count);
    }

    [Fact]
    public async Task GetResponseAsync_InvalidKey_FailsAtOnceWith401AndLogsItInTheFunctionScope()
    {
        await using var harness = await StartAsync(apiKey: "co-wrong-" + Guid.NewGuid().ToString("N"));
        var logger = harness.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Chat");

        CohereException error;
        using (logger.BeginScope("function={Function} request_id={RequestId}", "chat", "r-1"))
        {
            error = await Assert.ThrowsAsync<CohereException>(() => harness.Chat.GetResponseAsync(Question, WithDocuments(Ros), Cancel));
        }

        Assert.Equal(401, error.Status);
        Assert.Equal("Cohere connection failed: 401 invalid API key", error.Message);
        Assert.Single(harness.Cohere.RequestsTo(CohereDouble.ChatPath));
        Assert.Contains(
            harness.Logs.Lines,
            line => line.Contains("[3010]", StringComparison.Ordinal) && line.Contains("function=chat", StringComparison.Ordinal)
                && line.Contains("Cohere connection failed: 401 invalid API key", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(498, "Cohere blocked the content: 498")]
    [InlineData(402, "Cohere connection failed: 402 billing limit reached")]
    [InlineData(404, "Cohere rejected the request: 404 model not found")]
    public async Task GetResponseAsync_NonRetryableStatus_FailsAtOnce(int status, string message)
    {
        await using var harness = await StartAsync();
        harness.Cohere.Enqueue(CohereDouble.ChatPath, CohereFault.Status(status));

        var error = await Assert.ThrowsAsync<CohereException>(() => harness.Chat.GetResponseAsync(Question, WithDocuments(Ros), Cancel));

        Assert.Equal(status, error.Status);
        Assert.Equal(message, error.Message);
        Assert.Single(harness.Cohere.RequestsTo(CohereDouble.ChatPath));
    }

    [Fact]
    public async Task GetResponseAsync_RetryAfterLongerThanTheCap_FailsWithoutWaiting()
    {
        await using var harness = await StartAsync();
        harness.Cohere.Enqueue(CohereDouble.ChatPath, CohereFault.RateLimited(retryAfter: "120"));

        var error = await Assert.ThrowsAsync<CohereException>(() => harness.Chat.GetResponseAsync(Question, WithDocuments(Ros), Cancel));

        Assert.Equal(429, error.Status);
        Assert.Equal("Cohere rate limited: 429, retry after 120 s", error.Message);
        Assert.Equal(TimeSpan.FromSeconds(120), error.RetryAfter);
        Assert.Single(harness.Cohere.RequestsTo(CohereDouble.ChatPath));
    }

    [Fact]
    public async Task GetResponseAsync_SlowAttempt_TimesOutAndIsRetried()
    {
        await using var harness = await StartAsync(options => options.AttemptTimeout = TimeSpan.FromSeconds(1));
        harness.Cohere.Enqueue(CohereDouble.ChatPath, CohereFault.Slow(TimeSpan.FromSeconds(30)));

        var response = await harness.Chat.GetResponseAsync(Question, WithDocuments(Ros), Cancel);

        Assert.Equal(ExpectedAnswer(Ros), response.Text);
        Assert.Equal(2, harness.Cohere.RequestsTo(CohereDouble.ChatPath).Count);
        Assert.Contains("Cohere timed out after 1 s, retrying in ", harness.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponseAsync_EveryAttemptTooSlow_ThrowsTimedOut()
    {
        await using var harness = await StartAsync(options =>
        {
            options.MaxRetries = 1;
            options.AttemptTimeout = TimeSpan.FromMilliseconds(500); // long enough for each attempt to reach the double on a loaded machine
        });
        harness.Cohere.Enqueue(CohereDouble.ChatPath, CohereFault.Slow(TimeSpan.FromSeconds(30)), CohereFault.Slow(TimeSpan.FromSeconds(30)));

        var error = await Assert.ThrowsAsync<CohereException>(() => harness.Chat.GetResponseAsync(Question, WithDocuments(Ros), Cancel));

        Assert.Equal("Cohere timed out after 0.5 s", error.Message);
        Assert.Null(error.Status);
        Assert.Equal(2, harness.Cohere.RequestsTo(CohereDouble.ChatPath).Count);
    }

    [Fact]
    public async Task GetResponseAsync_TotalTimeout_EndsTheRetries()
    {
        await using var harness = await StartAsync(options =>
        {
            options.MaxRetries = 5;
            options.AttemptTimeout = TimeSpan.FromSeconds(5);
            options.TotalTimeout = TimeSpan.FromMilliseconds(600);
        });
        harness.Cohere.Enqueue(CohereDouble.ChatPath, CohereFault.Slow(TimeSpan.FromSeconds(30)));

        var error = await Assert.ThrowsAsync<CohereException>(() => harness.Chat.GetResponseAsync(Question, WithDocuments(Ros), Cancel));

        Assert.Equal("Cohere timed out after 0.6 s", error.Message);
        Assert.Single(harness.Cohere.RequestsTo(CohereDouble.ChatPath));
    }

    [Fact]
    public async Task GetResponseAsync_DroppedConnection_IsRetried()
    {
        await using var harness = await StartAsync();
        harness.Cohere.Enqueue(CohereDouble.ChatPath, CohereFault.Disconnect);

        var response = await harness.Chat.GetResponseAsync(Question, WithDocuments(Ros), Cancel);

        Assert.Equal(ExpectedAnswer(Ros), response.Text);
        Assert.Equal(2, harness.Cohere.RequestsTo(CohereDouble.ChatPath).Count);
        Assert.Contains("Cohere connection failed: ", harness.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetResponseAsync_Unreachable_ThrowsConnectionFailed()
    {
        await using var harness = await StartAsync(options => options.MaxRetries = 1);
        var baseUrl = harness.Cohere.BaseUrl;
        await harness.Cohere.DisposeAsync();
        Assert.NotEmpty(baseUrl);

        var error = await Assert.ThrowsAsync<CohereException>(() => harness.Chat.GetResponseAsync(Question, WithDocuments(Ros), Cancel));

        Assert.Equal("Cohere connection failed: cannot connect", error.Message);
    }

    [Fact]
    public async Task GetResponseAsync_MalformedJson_ThrowsWithoutRetry()
    {
        await using var harness = await StartAsync();
        harness.Cohere.Enqueue(CohereDouble.ChatPath, CohereFault.MalformedJson);

        var error = await Assert.ThrowsAsync<CohereException>(() => harness.Chat.GetResponseAsync(Question, WithDocuments(Ros), Cancel));

        Assert.Equal("Cohere returned malformed JSON", error.Message);
        Assert.Single(harness.Cohere.RequestsTo(CohereDouble.ChatPath));
    }

    [Fact]
    public async Task ApiKey_NeverAppearsInExceptionsOrLogs()
    {
        await using var harness = await StartAsync();
        var errors = new List<Exception>();
        harness.Cohere.Enqueue(CohereDouble.ChatPath, CohereFault.RateLimited(), CohereFault.Unavailable, CohereFault.GatewayTimeout);
        harness.Cohere.Enqueue(CohereDouble.EmbedPath, CohereFault.MalformedJson);

        errors.Add(await Assert.ThrowsAsync<CohereException>(() => harness.Chat.GetResponseAsync(Question, WithDocuments(Ros), Cancel)));
        errors.Add(await Assert.ThrowsAsync<CohereException>(() => harness.Embeddings.EmbedQueryAsync("ROS 2", Cancel)));
        errors.Add(await Assert.ThrowsAsync<CohereException>(() => harness.Chat.GetResponseAsync(Question, new ChatOptions { Temperature = 2 }, Cancel)));
        await harness.Chat.GetResponseAsync(Question, WithDocuments(Ros), Cancel);
        await foreach (var update in harness.Chat.GetStreamingResponseAsync(Question, WithDocuments(Ros), Cancel))
        {
            Assert.NotNull(update);
        }

        await using var wrongKey = await StartAsync(apiKey: "co-wrong-" + Guid.NewGuid().ToString("N"));
        errors.Add(await Assert.ThrowsAsync<CohereException>(() => wrongKey.Chat.GetResponseAsync(Question, WithDocuments(Ros), Cancel)));

        Assert.Contains("Request Headers", harness.Logs.All, StringComparison.Ordinal); // header logging ran, redacted
        foreach (var (key, logs) in new[] { (harness.Cohere.ApiKey, harness.Logs), (wrongKey.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<CohereOptions>>().Value.ApiKey!, wrongKey.Logs) })
        {
            Assert.DoesNotContain(key, logs.All, StringComparison.Ordinal);
            Assert.All(errors, e => Assert.DoesNotContain(key, e.ToString(), StringComparison.Ordinal));
        }
    }

    [Fact]
    public void RetryAfter_ReadsMillisecondsSecondsAndDates()
    {
        var now = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

        Assert.Null(CohereResilience.RetryAfter(Response(), now));
        Assert.Equal(TimeSpan.FromMilliseconds(1500), CohereResilience.RetryAfter(Response(("retry-after-ms", "1500"), ("Retry-After", "9")), now));
        Assert.Equal(TimeSpan.FromSeconds(2), CohereResilience.RetryAfter(Response(("Retry-After", "2")), now));
        Assert.Equal(TimeSpan.FromSeconds(3), CohereResilience.RetryAfter(Response(("Retry-After", now.AddSeconds(3).ToString("R"))), now));
        Assert.Equal(TimeSpan.Zero, CohereResilience.RetryAfter(Response(("Retry-After", now.AddSeconds(-3).ToString("R"))), now));
    }

    [Theory]
    [InlineData(429, true)]
    [InlineData(500, true)]
    [InlineData(503, true)]
    [InlineData(504, true)]
    [InlineData(400, false)]
    [InlineData(401, false)]
    [InlineData(408, false)]
    [InlineData(498, false)]
    [InlineData(501, false)]
    [InlineData(502, false)]
    public void ShouldRetry_OnlyTheStatusesCohereCallsTransient(int status, bool retry)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status);

        Assert.Equal(retry, CohereResilience.ShouldRetry(Outcome.FromResult(response), TimeSpan.FromSeconds(20), DateTimeOffset.UtcNow));
    }

    [Fact]
    public void ShouldRetry_TransportErrorsAndAttemptTimeouts_AreRetried()
    {
        Assert.True(CohereResilience.ShouldRetry(Outcome.FromException<HttpResponseMessage>(new HttpRequestException("reset")), TimeSpan.FromSeconds(20), DateTimeOffset.UtcNow));
        Assert.True(CohereResilience.ShouldRetry(Outcome.FromException<HttpResponseMessage>(new TimeoutRejectedException()), TimeSpan.FromSeconds(20), DateTimeOffset.UtcNow));
        Assert.False(CohereResilience.ShouldRetry(Outcome.FromException<HttpResponseMessage>(new OperationCanceledException()), TimeSpan.FromSeconds(20), DateTimeOffset.UtcNow));
    }

    private static HttpResponseMessage Response(params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        foreach (var (name, value) in headers)
        {
            response.Headers.TryAddWithoutValidation(name, value);
        }

        return response;
    }
}
