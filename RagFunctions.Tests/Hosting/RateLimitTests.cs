using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using RagFunctions.Hosting;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Hosting;

public sealed class RateLimitTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Chat_PastTheBudget_429WithRetryAfter_WhileHealthAndOtherEndpointsGoOn()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { [EnvironmentVariables.RateLimitPerMinute] = "3" });

        // /chat and /stream-chat share one bucket; an empty question costs a token too (bots send those).
        for (var i = 0; i < 3; i++)
        {
            using var allowed = await app.Client.PostAsJsonAsync(i % 2 == 0 ? "/chat" : "/stream-chat", new { question = "" }, Cancel);
            Assert.Equal(HttpStatusCode.BadRequest, allowed.StatusCode);
        }

        using var limited = await app.Client.PostAsJsonAsync("/chat", new { question = "What is ROS 2?" }, Cancel);
        var problem = await Problems.AssertAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.Contains("at most 3 a minute", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var retryAfter = int.Parse(Assert.Single(limited.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);

        for (var i = 0; i < 20; i++)
        {
            using var health = await app.Client.GetAsync("/health", Cancel);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        using var translate = await app.Client.PostAsJsonAsync("/translate", new { page_url = "" }, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, translate.StatusCode);
        Assert.Contains("Rate limited a client on chat (3 a minute)", app.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientsBehindTheTrustedProxy_AreToldApartByXForwardedFor()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { [EnvironmentVariables.RateLimitPerMinute] = "1" });

        Assert.Equal(HttpStatusCode.BadRequest, await PostEmptyQuestionAsync(app, "198.51.100.7"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await PostEmptyQuestionAsync(app, "198.51.100.7"));
        Assert.Equal(HttpStatusCode.BadRequest, await PostEmptyQuestionAsync(app, "203.0.113.9"));

        // A proxy chain: the client is the nearest address that is not a trusted proxy.
        Assert.Equal(HttpStatusCode.TooManyRequests, await PostEmptyQuestionAsync(app, "198.51.100.7, 10.1.2.3"));
    }

    [Fact]
    public async Task XForwardedFor_FromAnUntrustedPeer_IsIgnored_SoSpoofingGetsNoFreshBudget()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?>
        {
            [EnvironmentVariables.RateLimitPerMinute] = "1",
            [EnvironmentVariables.TrustedProxies] = "",
        });

        Assert.Equal(HttpStatusCode.BadRequest, await PostEmptyQuestionAsync(app, "198.51.100.7"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await PostEmptyQuestionAsync(app, "203.0.113.9"));
    }

    [Fact]
    public async Task AdminRoutes_AreLimitedToTenAMinute_SoAKeyCannotBeGuessedAtSpeed()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?>
        {
            [EnvironmentVariables.RateLimitPerMinute] = "1000",
            [EnvironmentVariables.AdminApiKey] = "admin-key-0123456789abcdef",
        });

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < ClientRateLimiter.AdminPerMinute + 1; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/manage/report");
            request.Headers.Add("X-Admin-Key", $"wrong-guess-{i:D16}");
            using var response = await app.Client.SendAsync(request, Cancel);
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses[..^1], status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }

    [Fact]
    public async Task ZeroPerMinute_TurnsLimitingOff()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { [EnvironmentVariables.RateLimitPerMinute] = "0" });

        for (var i = 0; i < 40; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, await PostEmptyQuestionAsync(app, null));
        }
    }

    [Theory]
    [InlineData("203.0.113.5", null, "203.0.113.5")]
    [InlineData("203.0.113.5", "198.51.100.7", "203.0.113.5")]
    [InlineData("127.0.0.1", "198.51.100.7", "198.51.100.7")]
    [InlineData("127.0.0.1", "198.51.100.7, 10.0.0.5", "198.51.100.7")]
    [InlineData("127.0.0.1", "192.0.2.1, 198.51.100.7, 10.0.0.5", "198.51.100.7")]
    [InlineData("127.0.0.1", "not-an-ip", "127.0.0.1")]
    [InlineData("127.0.0.1", "", "127.0.0.1")]
    [InlineData("::ffff:10.0.0.9", "2001:db8::1", "2001:db8::1")]
    [InlineData("::1", "198.51.100.7\r\nX-Evil: 1", "::1")]
    public void ClientOf_BelievesXForwardedForOnlyFromTrustedProxies(string peer, string? forwardedFor, string expected)
    {
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = IPAddress.Parse(peer);
        if (forwardedFor is not null)
        {
            http.Request.Headers["X-Forwarded-For"] = forwardedFor;
        }

        Assert.Equal(expected, new RateLimitOptions().ClientOf(http));
    }

    private static async Task<HttpStatusCode> PostEmptyQuestionAsync(TestApp app, string? forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/chat") { Content = JsonContent.Create(new { question = " " }) };
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        using var response = await app.Client.SendAsync(request, Cancel);
        return response.StatusCode;
    }
}
