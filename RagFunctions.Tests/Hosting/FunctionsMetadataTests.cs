using System.Text.Json;
using RagFunctions.Hosting;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Hosting;

/// <summary>
/// The Functions host routes by the build's functions.metadata; the standalone host by the attributes.
/// These must agree, or the container would serve a different API than the one the tests exercise.
/// </summary>
public sealed class FunctionsMetadataTests
{
    [Fact]
    public void EveryStandaloneRoute_IsDeclaredInFunctionsMetadata_WithTheSameRouteMethodsAndAnonymousAuth()
    {
        var metadata = ReadMetadata();
        var routes = FunctionRoutes.Discover(typeof(RagHost).Assembly);

        Assert.NotEmpty(routes);
        Assert.Equal(routes.Select(r => r.Name).Order(), metadata.Keys.Order());
        foreach (var route in routes)
        {
            var trigger = metadata[route.Name];
            Assert.Equal(route.Route, trigger.GetProperty("route").GetString());
            Assert.Equal("Anonymous", trigger.GetProperty("authLevel").GetString());
            var methods = trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).Order();
            Assert.Equal(route.Methods.Order(), methods);
        }
    }

    [Fact]
    public void FrontendRoutes_AreServedAtTheRootWithoutApiPrefix()
    {
        using var host = JsonDocument.Parse(RepoFiles.Read("host.json"));
        Assert.Equal("", host.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString());

        var routes = FunctionRoutes.Discover(typeof(RagHost).Assembly).Select(r => r.Route).ToHashSet();
        Assert.Contains("health", routes);

        // The front page: an optional parameter that only an empty path fills, served at / by both hosts.
        Assert.Contains(FunctionRoutes.Root, routes);
    }

    [Theory]
    [InlineData("admin/ingest")]
    [InlineData("/Admin")]
    [InlineData("administration/report")]
    [InlineData("runtime/webhooks")]
    public void RoutesTheFunctionsHostKeepsForItself_AreRefused(string route)
    {
        var error = Assert.Throws<InvalidOperationException>(() => FunctionRoutes.EnsureNotReserved("f", route));
        Assert.Contains("Functions host", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("manage/ingest")]
    [InlineData("chat")]
    [InlineData("health")]
    public void OtherRoutes_AreAllowed(string route) => FunctionRoutes.EnsureNotReserved("f", route);

    private static Dictionary<string, JsonElement> ReadMetadata()
    {
        var path = RepoFiles.AppBuildOutput("functions.metadata");
        Assert.True(File.Exists(path), $"functions.metadata not found at {path}: build RagFunctions first.");
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return json.RootElement.EnumerateArray().ToDictionary(
            f => f.GetProperty("name").GetString()!,
            f => f.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "httpTrigger").Clone());
    }
}
