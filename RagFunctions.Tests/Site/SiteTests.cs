using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RagFunctions.Hosting;
using RagFunctions.Site;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Site;

/// <summary>The front page, the API reference and the OpenAPI document over real HTTP on the standalone host.</summary>
public sealed partial class SiteTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static IReadOnlyList<FunctionRoute> Routes => FunctionRoutes.Discover(typeof(RagHost).Assembly);

    /// <summary>The API's JSON as the app composes it: every capability's contracts.</summary>
    private static JsonSerializerOptions ApiJson { get; } = ComposeApiJson();

    private static JsonSerializerOptions ComposeApiJson()
    {
        var services = new ServiceCollection();
        AppServices.Add(services, new ConfigurationBuilder().Build());
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
    }

    [Fact]
    public async Task FrontPage_IsHtmlAtTheRoot_WithAPolicyThatAllowsOnlyThisOrigin()
    {
        await using var app = await TestApp.StartAsync();

        using var response = await app.Client.GetAsync("/", Cancel);
        var html = await response.Content.ReadAsStringAsync(Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Contains("Physical AI &amp; Humanoid Robotics", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/docs\"", html, StringComparison.Ordinal);
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("frame-ancestors", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True(response.Headers.CacheControl?.NoCache);
    }

    [Fact]
    public async Task SiteFiles_ReferToThisOriginOnly_AndHaveNoInlineScriptOrStyle()
    {
        await using var app = await TestApp.StartAsync();

        foreach (var path in new[] { "/", "/docs" })
        {
            var html = await app.Client.GetStringAsync(path, Cancel);
            var assets = AssetReference().Matches(html).Select(m => m.Groups[1].Value).ToArray();
            Assert.NotEmpty(assets);
            Assert.All(assets, a => Assert.StartsWith("/assets/", a, StringComparison.Ordinal));
            Assert.DoesNotMatch(@"<script>|<script [^>]*>[^<]|<style|\sstyle=|\son[a-z]+=", html);
            foreach (var asset in assets)
            {
                var text = await app.Client.GetStringAsync(asset, Cancel);
                Assert.DoesNotMatch(@"https?://", text);
            }
        }
    }

    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/docs", "text/html")]
    [InlineData("/openapi.json", "application/json")]
    [InlineData("/assets/site.js", "text/javascript")]
    [InlineData("/assets/site.css", "text/css")]
    [InlineData("/assets/docs.js", "text/javascript")]
    public async Task StaticRoutes_AnswerHeadWithoutABody_AndRevalidateByETag(string path, string mediaType)
    {
        await using var app = await TestApp.StartAsync();

        using var get = await app.Client.GetAsync(path, Cancel);
        var body = await get.Content.ReadAsByteArrayAsync(Cancel);
        using var head = await app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path), Cancel);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, path);
        conditional.Headers.IfNoneMatch.Add(get.Headers.ETag!);
        using var notModified = await app.Client.SendAsync(conditional, Cancel);

        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(mediaType, get.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(get.Headers.ETag);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(mediaType, head.Content.Headers.ContentType?.MediaType);
        Assert.Equal(body.Length, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync(Cancel));
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync(Cancel));
    }

    [Fact]
    public async Task Assets_AreCachedForADay_OnlyUnderTheVersionThePagesName()
    {
        await using var app = await TestApp.StartAsync();
        var html = await app.Client.GetStringAsync("/", Cancel);
        var versioned = AssetReference().Matches(html).Select(m => m.Groups[1].Value).First(a => a.Contains("site.js", StringComparison.Ordinal));

        using var current = await app.Client.GetAsync(versioned, Cancel);
        using var unversioned = await app.Client.GetAsync("/assets/site.js", Cancel);
        using var stale = await app.Client.GetAsync("/assets/site.js?v=0000000000000000", Cancel);

        Assert.Matches(@"\?v=[0-9a-f]{16}$", versioned);
        Assert.Equal(TimeSpan.FromDays(1), current.Headers.CacheControl?.MaxAge);
        Assert.True(unversioned.Headers.CacheControl?.NoCache);
        Assert.True(stale.Headers.CacheControl?.NoCache);
    }

    [Theory]
    [InlineData("/assets/nothing.js")]
    [InlineData("/assets/index.html")]
    [InlineData("/assets/..%2F..%2Fappsettings.json")]
    public async Task UnknownAssets_AreNotFoundProblems(string path)
    {
        await using var app = await TestApp.StartAsync();

        using var response = await app.Client.GetAsync(path, Cancel);

        await Problems.AssertAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("POST", "/")]
    [InlineData("PUT", "/")]
    [InlineData("DELETE", "/docs")]
    [InlineData("POST", "/openapi.json")]
    [InlineData("POST", "/assets/site.js")]
    [InlineData("POST", "/pages")]
    public async Task OtherMethods_OnSiteRoutes_Are405Problems(string method, string path)
    {
        await using var app = await TestApp.StartAsync();

        using var response = await app.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), Cancel);

        await Problems.AssertAsync(response, HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task OpenApiDocument_ListsEveryRouteOfTheRouteTable_WithEachOfItsMethods_AndNothingElse()
    {
        await using var app = await TestApp.StartAsync();

        var document = JsonNode.Parse(await app.Client.GetStringAsync("/openapi.json", Cancel))!;
        var paths = document["paths"]!.AsObject();

        Assert.StartsWith("3.1.", document["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(Routes.Select(r => r.Path).Order(StringComparer.Ordinal), paths.Select(p => p.Key).Order(StringComparer.Ordinal));
        foreach (var route in Routes)
        {
            var operations = paths[route.Path]!.AsObject();
            Assert.Equal(route.Methods.Select(m => m.ToLowerInvariant()).Order(), operations.Select(o => o.Key).Order());
            Assert.All(operations, o => Assert.NotNull(o.Value!["responses"]!["200"]));
        }

        var operationIds = paths.SelectMany(p => p.Value!.AsObject()).Select(o => o.Value!["operationId"]!.GetValue<string>()).ToArray();
        Assert.Equal(operationIds.Length, operationIds.Distinct().Count());
    }

    [Fact]
    public void EveryFunction_DescribesItselfForTheReference()
    {
        var undocumented = Routes.Where(r => r.Doc is null).Select(r => r.Name).ToArray();

        Assert.True(undocumented.Length == 0, "Add an [ApiDoc] to: " + string.Join(", ", undocumented));
    }

    [Fact]
    public void OpenApiDocument_EveryReferenceResolves_AndEveryRequestBodyHasAnExample()
    {
        var document = OpenApiDocument.Build(Routes, ApiJson);
        var schemas = document["components"]!["schemas"]!.AsObject();

        var references = Descendants(document).OfType<JsonObject>().Where(o => o.ContainsKey("$ref")).Select(o => o["$ref"]!.GetValue<string>()).ToArray();

        Assert.NotEmpty(references);
        Assert.All(references, r => Assert.True(schemas.ContainsKey(r.Replace("#/components/schemas/", "", StringComparison.Ordinal)), $"{r} does not resolve"));
        foreach (var body in Descendants(document).OfType<JsonObject>().Where(o => o.Parent is JsonObject && o.GetPropertyName() == "requestBody"))
        {
            Assert.NotNull(body["content"]!["application/json"]!["example"]);
        }
    }

    [Fact]
    public void OpenApiDocument_DescribesTheContractsFromTheirTypes()
    {
        var document = OpenApiDocument.Build(Routes, ApiJson);
        var schemas = document["components"]!["schemas"]!;
        var chat = document["paths"]!["/chat"]!["post"]!;
        var stream = document["paths"]!["/stream-chat"]!["post"]!;
        var translate = document["paths"]!["/translate"]!["post"]!;

        // Snake case, as the API writes it, because the schemas come from the serializer's own contracts.
        Assert.NotNull(schemas["ChatRequest"]!["properties"]!["selected_text"]);
        Assert.NotNull(schemas["ChatAnswer"]!["properties"]!["answer_id"]);
        Assert.NotNull(schemas["ChatAnswer"]!["properties"]!["sources"]!["items"]!["properties"]!["url"]);
        Assert.NotNull(schemas["StreamDone"]!["properties"]!["response"]);
        Assert.NotNull(schemas["TranslateResponse"]!["properties"]!["translation"]);
        Assert.NotNull(schemas["HealthResponse"]!["properties"]!["status"]);

        Assert.Equal("#/components/schemas/ChatAnswer", chat["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.Equal(3, stream["responses"]!["200"]!["content"]!["text/event-stream"]!["schema"]!["oneOf"]!.AsArray().Count);
        Assert.Equal("#/components/schemas/ValidationProblemDetails", chat["responses"]!["400"]!["content"]!["application/problem+json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.NotNull(chat["responses"]!["429"]!["headers"]!["Retry-After"]);
        Assert.NotNull(schemas["ValidationProblemDetails"]!["properties"]!["errors"]);
        Assert.NotNull(schemas["ProblemDetails"]!["properties"]!["request_id"]);

        // Client A reads success and error on a failed translation.
        Assert.All(translate["responses"]!.AsObject().Where(r => r.Key != "200"), r =>
            Assert.Equal("#/components/schemas/TranslationProblemDetails", r.Value!["content"]!["application/problem+json"]!["schema"]!["$ref"]!.GetValue<string>()));
        var clientA = schemas["TranslationProblemDetails"]!["allOf"]![1]!;
        Assert.False(clientA["properties"]!["success"]!["const"]!.GetValue<bool>());
        Assert.Contains("error", clientA["required"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public void OpenApiDocument_EveryOperationIsInADeclaredGroup()
    {
        var document = OpenApiDocument.Build(Routes, ApiJson);
        var declared = document["tags"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ToHashSet();

        var used = document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject()).Select(o => o.Value!["tags"]![0]!.GetValue<string>()).ToArray();

        Assert.All(used, tag => Assert.Contains(tag, declared));
        Assert.DoesNotContain(ApiTags.Other, used);
    }

    [Fact]
    public void OpenApiDocument_RateLimitsOnlyWhatTheLimiterLimits()
    {
        var paths = OpenApiDocument.Build(Routes, ApiJson)["paths"]!;

        foreach (var route in Routes)
        {
            var limited = paths[route.Path]![route.Methods[0].ToLowerInvariant()]!["responses"]!["429"] is not null;
            Assert.Equal(ClientRateLimiter.Group(route.Name) is not null, limited);
        }

        Assert.Null(paths["/health"]!["get"]!["responses"]!["429"]);
        Assert.Null(paths["/"]!["get"]!["responses"]!["429"]);
        Assert.NotNull(paths["/manage/ingest"]!["post"]!["security"]);
    }

    [Fact]
    public async Task SiteRoutes_AreNeverRateLimited_WhileTheApiIs()
    {
        await using var app = await SampleBookIndex.StartAppAsync(new Dictionary<string, string?> { [EnvironmentVariables.RateLimitPerMinute] = "1" });

        foreach (var path in new[] { "/", "/docs", "/openapi.json", "/assets/site.js", "/health" })
        {
            for (var i = 0; i < 3; i++)
            {
                using var response = await app.Client.GetAsync(path, Cancel);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }

        using var first = await app.Client.GetAsync("/pages", Cancel);
        using var second = await app.Client.GetAsync("/pages", Cancel);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        await Problems.AssertAsync(second, HttpStatusCode.TooManyRequests);
        Assert.NotNull(second.Headers.RetryAfter);
    }

    [Fact]
    public async Task Pages_ListsTheIndexedPages_ByTitle_WithUrlsThatTranslateFinds()
    {
        await using var app = await SampleBookIndex.StartAppAsync();

        using var response = await app.Client.GetAsync("/pages", Cancel);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement;
        var pages = json.GetProperty("pages").EnumerateArray().Select(p => (Url: p.GetProperty("url").GetString()!, Title: p.GetProperty("title").GetString()!)).ToArray();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(pages.Length, json.GetProperty("count").GetInt32());
        Assert.True(pages.Length >= 10, $"only {pages.Length} pages");
        Assert.Contains(pages, p => p.Url == Translation.TranslationHarness.CommunicationPage && p.Title.Contains("ROS 2", StringComparison.Ordinal));
        Assert.All(pages, p => Assert.False(string.IsNullOrWhiteSpace(p.Title)));
        Assert.Equal(pages.Length, pages.Select(p => p.Url).Distinct().Count());
    }

    private static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        yield return node;
        var children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a.AsEnumerable(),
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>())
        {
            foreach (var descendant in Descendants(child))
            {
                yield return descendant;
            }
        }
    }

    [GeneratedRegex("(?:src|href)=\"(/assets/[^\"]+)\"")]
    private static partial Regex AssetReference();
}
