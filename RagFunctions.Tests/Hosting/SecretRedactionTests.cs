using System.Text;
using Microsoft.Extensions.Configuration;
using RagFunctions.Hosting;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Hosting;

public sealed class SecretRedactionTests
{
    private const string Marker = "SECRETMARKER";

    private static readonly Dictionary<string, string?> SecretSettings = EnvironmentVariables.Secrets.ToDictionary(
        name => name,
        name => (string?)(name == EnvironmentVariables.ApplicationInsightsConnectionString
            ? $"InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/;Auth={Marker}-ai"
            : $"{Marker}-{name.ToLowerInvariant()}"));

    [Fact]
    public async Task Secrets_NeverAppearInLogsOrResponses_AcrossEveryEndpoint()
    {
        await using var app = await TestApp.StartAsync(SecretSettings);
        var bodies = new StringBuilder();

        foreach (var route in FunctionRoutes.Discover(typeof(RagHost).Assembly))
        {
            foreach (var method in route.Methods.Append("GET").Append("POST").Distinct())
            {
                foreach (var body in new[] { "{}", "{\"question\":\"what is ROS 2?\",\"page_url\":\"http://localhost:3000/docs/intro\"}", "{not json" })
                {
                    using var request = new HttpRequestMessage(new HttpMethod(method), route.Path);
                    if (method != "GET")
                    {
                        request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                    }

                    request.Headers.TryAddWithoutValidation("X-Admin-Key", "wrong");
                    using var response = await app.Client.SendAsync(request, TestContext.Current.CancellationToken);
                    bodies.Append(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
                    bodies.Append(string.Join(";", response.Headers.Select(h => h.Key + "=" + string.Join(",", h.Value))));
                }
            }
        }

        Assert.DoesNotContain(Marker, bodies.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Marker, app.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartupLine_ShowsSecretsOnlyAsSet()
    {
        await using var app = await TestApp.StartAsync(SecretSettings);

        var line = Assert.Single(app.Logs.Lines, l => l.Contains("Configuration: ", StringComparison.Ordinal));

        Assert.Contains("COHERE_API_KEY=set", line, StringComparison.Ordinal);
        Assert.Contains("ADMIN_API_KEY=set", line, StringComparison.Ordinal);
        Assert.DoesNotContain(Marker, line, StringComparison.Ordinal);
    }

    [Fact]
    public void StartupLine_HidesCredentialsInsideUrls()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["QDRANT_URL"] = "https://user:pa55@qdrant.example:6334" }).Build();

        var line = StartupReport.Describe(configuration);

        Assert.Contains("QDRANT_URL=https://***@qdrant.example:6334", line, StringComparison.Ordinal);
        Assert.DoesNotContain("pa55", line, StringComparison.Ordinal);
    }
}
