using System.Net;
using System.Text.Json;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Ingestion;

public sealed class AdminIngestTests
{
    private const string Key = "admin-key-for-tests-0123456789";

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WithoutAdminKeyConfigured_TheRouteDoesNotExist()
    {
        await using var app = await TestApp.StartAsync();

        using var response = await PostAsync(app, Key);

        await Problems.AssertAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    [InlineData(Key + "x")]
    public async Task WrongOrMissingKey_Is401(string? key)
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["ADMIN_API_KEY"] = Key });

        using var response = await PostAsync(app, key);

        await Problems.AssertAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RightKey_ReingestsTheDocsFolder_AndReportsNothingChanged()
    {
        await using var app = await SampleBookIndex.StartAppAsync(new Dictionary<string, string?> { ["ADMIN_API_KEY"] = Key });
        await app.StartupIngestion;

        using var response = await PostAsync(app, Key);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement;
        Assert.Equal(12, report.GetProperty("pages").GetInt32());
        Assert.Equal(0, report.GetProperty("chunks_added").GetInt32());
        Assert.Equal(0, report.GetProperty("chunks_updated").GetInt32());
        Assert.True(report.GetProperty("chunks_unchanged").GetInt32() > 100);
    }

    [Fact]
    public async Task SitemapSource_WithoutSitemapUrl_Is400()
    {
        await using var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["ADMIN_API_KEY"] = Key });

        using var request = new HttpRequestMessage(HttpMethod.Post, "/manage/ingest?source=sitemap");
        request.Headers.Add("X-Admin-Key", Key);
        using var response = await app.Client.SendAsync(request, Cancel);

        await Problems.AssertAsync(response, HttpStatusCode.BadRequest);
    }

    private static async Task<HttpResponseMessage> PostAsync(TestApp app, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/manage/ingest");
        if (key is not null)
        {
            request.Headers.Add("X-Admin-Key", key);
        }

        return await app.Client.SendAsync(request, Cancel);
    }
}
