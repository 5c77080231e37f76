using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace RagFunctions.Hosting;

internal static class Logging
{
    /// <summary>One line per entry: UTC timestamp, level, category, then the function and request id scope.</summary>
    public static ILoggingBuilder AddRagConsole(this ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.IncludeScopes = true;
            options.UseUtcTimestamp = true;
            options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            options.ColorBehavior = LoggerColorBehavior.Disabled;
        });
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        return logging;
    }

    /// <summary>Standalone only: under the Functions host, the host already forwards worker logs.</summary>
    public static ILoggingBuilder AddRagApplicationInsights(this ILoggingBuilder logging, IConfiguration configuration)
    {
        var connectionString = configuration[EnvironmentVariables.ApplicationInsightsConnectionString];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            logging.AddApplicationInsights(
                telemetry => telemetry.ConnectionString = connectionString,
                _ => { });
        }

        return logging;
    }
}
