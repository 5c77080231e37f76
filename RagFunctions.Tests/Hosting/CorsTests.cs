using System.Net;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Hosting;

public sealed class CorsTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("http://localhost:3000")]
    [InlineData("http://localhost:3001")]
    public async Task DefaultOrigins_AreTheLocalDocusaurusPorts(string origin)
    {
        await using var app = await TestApp.StartAsync();

        using var response = await GetWithOrigin(app, origin);

        Assert.Equal(origin, Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    [Theory]
    [InlineData("[\"https://book.example.org\",\"https://preview.example.org\"]")]
    [InlineData("https://book.example.org, https://preview.example.org")]
    public async Task AllowedOrigin_GetsTheHeader_InJsonArrayOrCommaListForm(string setting)
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["CORS_ALLOWED_ORIGINS"] = setting });

        using var allowed = await GetWithOrigin(app, "https://preview.example.org");
        using var other = await GetWithOrigin(app, "https://evil.example.com");

        Assert.Equal("https://preview.example.org", Assert.Single(allowed.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Preflight_ForAJsonPost_IsAnsweredForAllowedOrigins()
    {
        await using var app = await TestApp.StartAsync();

        using var request = new HttpRequestMessage(HttpMethod.Options, "/stream-chat");
        request.Headers.Add("Origin", "http://localhost:3000");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");
        using var response = await app.Client.SendAsync(request, Cancel);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("http://localhost:3000", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("POST", string.Join(',', response.Headers.GetValues("Access-Control-Allow-Methods")));
        Assert.Contains("content-type", string.Join(',', response.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Preflight_FromADisallowedOrigin_GetsNoAllowHeader()
    {
        await using var app = await TestApp.StartAsync();

        using var request = new HttpRequestMessage(HttpMethod.Options, "/chat");
        request.Headers.Add("Origin", "https://evil.example.com");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        using var response = await app.Client.SendAsync(request, Cancel);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Star_AllowsAnyOriginWithoutCredentials()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["CORS_ALLOWED_ORIGINS"] = "*" });

        using var response = await GetWithOrigin(app, "https://anything.example");

        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    private static async Task<HttpResponseMessage> GetWithOrigin(TestApp app, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Add("Origin", origin);
        return await app.Client.SendAsync(request, Cancel);
    }
}
