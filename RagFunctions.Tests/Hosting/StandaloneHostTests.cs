using System.Net;
using System.Text.Json;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Hosting;

public sealed class StandaloneHostTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Health_ReturnsTheTwoFieldsTheFrontendChecks()
    {
        await using var app = await TestApp.StartAsync();

        using var response = await app.Client.GetAsync("/health", Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel));
        Assert.Equal("ok", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("1.0", json.RootElement.GetProperty("version").GetString());
    }

    [Fact]
    public async Task UnknownRoute_Returns404ProblemDetails()
    {
        await using var app = await TestApp.StartAsync();

        using var response = await app.Client.GetAsync("/api/health", Cancel);

        await Problems.AssertAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task WrongMethod_Returns405ProblemDetailsWithAllow()
    {
        await using var app = await TestApp.StartAsync();

        using var response = await app.Client.DeleteAsync("/health", Cancel);

        await Problems.AssertAsync(response, HttpStatusCode.MethodNotAllowed);
        Assert.Contains("GET", response.Content.Headers.Allow);
    }

    [Fact]
    public async Task EveryResponse_CarriesARequestIdThatTheLogsShow()
    {
        await using var app = await TestApp.StartAsync();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Add("X-Request-Id", "abc-123");
        using var response = await app.Client.SendAsync(request, Cancel);
        using var notFound = await app.Client.GetAsync("/missing", Cancel);

        Assert.Equal("abc-123", Assert.Single(response.Headers.GetValues("X-Request-Id")));
        Assert.Matches("^[0-9a-f]{32}$", Assert.Single(notFound.Headers.GetValues("X-Request-Id")));
    }

    [Fact]
    public async Task RequestId_FromTheCaller_IsIgnoredWhenItIsNotASafeToken()
    {
        await using var app = await TestApp.StartAsync();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.TryAddWithoutValidation("X-Request-Id", "<script>alert(1)</script>");
        using var response = await app.Client.SendAsync(request, Cancel);

        Assert.Matches("^[0-9a-f]{32}$", Assert.Single(response.Headers.GetValues("X-Request-Id")));
    }
}
