using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using RagFunctions.Hosting;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Hosting;

/// <summary>What an operator reads: one line per request, and the console's format.</summary>
public sealed class RequestLogTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task EveryRequest_EndsWithOneLine_OfMethodRouteStatusMillisecondsRequestIdAndClient()
    {
        await using var app = await TestApp.StartAsync();
        using var health = new HttpRequestMessage(HttpMethod.Get, "/health?ready=1");
        health.Headers.Add(RequestLogScope.HeaderName, "req-health-1");
        health.Headers.Add("X-Forwarded-For", "198.51.100.77");
        using var chat = new HttpRequestMessage(HttpMethod.Post, "/chat") { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
        chat.Headers.Add(RequestLogScope.HeaderName, "req-chat-1");

        using var healthResponse = await app.Client.SendAsync(health, Cancel);
        using var chatResponse = await app.Client.SendAsync(chat, Cancel);
        await app.Logs.WhenAsync(lines => lines.Any(l => l.Contains("request_id=req-chat-1 client=", StringComparison.Ordinal)), Cancel);

        var healthLine = Assert.Single(app.Logs.Lines, l => l.Contains("request_id=req-health-1 client=", StringComparison.Ordinal) && l.Contains("[9004]", StringComparison.Ordinal));
        Assert.Matches(@"GET /health \d{3} \d+ ms request_id=req-health-1 client=198\.51\.100\.77", healthLine);
        Assert.DoesNotContain("ready=1", healthLine, StringComparison.Ordinal);
        var chatLine = Assert.Single(app.Logs.Lines, l => l.Contains("request_id=req-chat-1 client=", StringComparison.Ordinal));
        Assert.Matches(@"POST /chat 400 \d+ ms request_id=req-chat-1 client=127\.0\.0\.1", chatLine);
    }

    [Fact]
    public void TheConsole_LeavesActivityIdsOff_AndWritesPlainLinesByDefault()
    {
        using var services = Console(new Dictionary<string, string?>());

        Assert.Equal(ActivityTrackingOptions.None, services.GetRequiredService<IOptions<LoggerFactoryOptions>>().Value.ActivityTrackingOptions);
        Assert.Equal(ConsoleFormatterNames.Simple, services.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value.FormatterName);
        var factory = services.GetRequiredService<ILoggerFactory>();
        Assert.False(factory.CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics").IsEnabled(LogLevel.Critical));
        Assert.False(factory.CreateLogger("Microsoft.AspNetCore.Server.Kestrel").IsEnabled(LogLevel.Critical));
        Assert.True(factory.CreateLogger("RagFunctions.Hosting.RequestPipeline").IsEnabled(LogLevel.Information));
    }

    [Theory]
    [InlineData("json")]
    [InlineData(" JSON ")]
    public void LogFormatJson_WritesOneJsonObjectPerEntry(string value)
    {
        using var services = Console(new Dictionary<string, string?> { [EnvironmentVariables.LogFormat] = value });

        Assert.Equal(ConsoleFormatterNames.Json, services.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value.FormatterName);
    }

    private static ServiceProvider Console(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging(logging => logging.AddRagConsole(configuration)).BuildServiceProvider();
    }
}
