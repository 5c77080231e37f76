using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RagFunctions.Hosting;

/// <summary>One line at start with the effective configuration; secrets only as <c>set</c>/<c>not set</c>.</summary>
internal sealed partial class StartupReport(IConfiguration configuration, ILogger<StartupReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogConfiguration(logger, Describe(configuration));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static string Describe(IConfiguration configuration)
        => string.Join(' ', EnvironmentVariables.All.Select(name => $"{name}={Show(name, configuration[name])}"));

    private static string Show(string name, string? value)
    {
        if (EnvironmentVariables.IsSecret(name))
        {
            return string.IsNullOrEmpty(value) ? "not set" : "set";
        }

        if (string.IsNullOrEmpty(value))
        {
            return "(default)";
        }

        // A URL may carry credentials in its user-info part.
        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.UserInfo)
            ? value.Replace(uri.UserInfo + "@", "***@", StringComparison.Ordinal)
            : value;
    }

    [LoggerMessage(EventId = 9000, Level = LogLevel.Information, Message = "Configuration: {Configuration}")]
    private static partial void LogConfiguration(ILogger logger, string configuration);
}
