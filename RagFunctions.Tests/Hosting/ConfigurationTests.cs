using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using RagFunctions.Hosting;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Hosting;

public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("CORS_ALLOWED_ORIGINS", "http://localhost:3000/docs", "CORS_ALLOWED_ORIGINS must list origins")]
    [InlineData("CORS_ALLOWED_ORIGINS", "[\"http://a.example\"", "CORS_ALLOWED_ORIGINS starts with '[' but is not a JSON array")]
    [InlineData("CORS_ALLOWED_ORIGINS", "ftp://files.example", "'ftp://files.example' is not one")]
    [InlineData("RATE_LIMIT_PER_MINUTE", "-1", "RATE_LIMIT_PER_MINUTE must be 0 (no limit)")]
    [InlineData("TRUSTED_PROXIES", "10.0.0.0/8,proxy.internal", "TRUSTED_PROXIES must be a comma-separated list of IP addresses or CIDR ranges")]
    [InlineData("LLM_DAILY_CALL_LIMIT", "-5", "LLM_DAILY_CALL_LIMIT must be 0 (no limit)")]
    [InlineData("EVIDENCE_THRESHOLD", "2.5", "EVIDENCE_THRESHOLD must be a number between 0 and 2")]
    public async Task BadValue_StopsTheAppWithAMessageNamingTheVariable(string name, string value, string expected)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(
            () => TestApp.StartAsync(new Dictionary<string, string?> { [name] = value }));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("70000")]
    public void BadPort_IsRejectedWithAMessageNamingPort(string port)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["PORT"] = port }).Build();

        var error = Assert.Throws<OptionsValidationException>(() => StandaloneHost.ListenUrls(configuration));

        Assert.Contains("PORT must be a TCP port number", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null, "http://localhost:7860")]
    [InlineData("8080", null, "http://0.0.0.0:8080")]
    [InlineData("8080", "http://127.0.0.1:9000", "http://127.0.0.1:9000")]
    public void ListenUrls_DefaultTo7860_PortOverrides_AspNetCoreUrlsWins(string? port, string? urls, string expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["PORT"] = port, ["urls"] = urls }).Build();

        Assert.Equal(expected, StandaloneHost.ListenUrls(configuration));
    }

    [Fact]
    public void FunctionsHostMode_IsChosenOnlyWhenTheHostPassesItsEndpoint()
    {
        Assert.False(RagHost.IsLaunchedByFunctionsHost([]));
        Assert.True(RagHost.IsLaunchedByFunctionsHost(["--functions-uri", "http://127.0.0.1:5000/"]));
    }

    [Fact]
    public async Task Exe_WithABadSetting_ExitsNonZeroAndSaysWhichVariable()
    {
        var app = Path.Combine(AppContext.BaseDirectory, "RagFunctions.dll");
        var start = new ProcessStartInfo("dotnet", [app])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            Environment =
            {
                ["CORS_ALLOWED_ORIGINS"] = "not a url",
                ["PORT"] = "0",
                ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
                ["RAG_DATA_DIR"] = TempDirectory.Create(),
            },
        };

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("Configuration error: CORS_ALLOWED_ORIGINS must list origins", await stderr, StringComparison.Ordinal);
        _ = await stdout;
    }
}
