using Microsoft.ApplicationInsights.Extensibility;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace RagFunctions.Hosting;

internal static class Logging
{
    /// <summary>
    /// One line per entry: UTC timestamp, level, category, then the function and request id scope; as JSON objects when
    /// <c>LOG_FORMAT=json</c>. The scopes ASP.NET Core adds on its own (<c>SpanId</c>, <c>TraceId</c>, <c>ParentId</c>,
    /// <c>ConnectionId</c>, <c>RequestPath</c>) stay off: each request ends with one line that says what they would.
    /// </summary>
    public static ILoggingBuilder AddRagConsole(this ILoggingBuilder logging, IConfiguration configuration)
    {
        logging.ClearProviders();
        logging.Configure(options => options.ActivityTrackingOptions = ActivityTrackingOptions.None);
        if (IsJson(configuration))
        {
            logging.AddJsonConsole(options =>
            {
                options.IncludeScopes = true;
                options.UseUtcTimestamp = true;
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
        else
        {
            logging.AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.IncludeScopes = true;
                options.UseUtcTimestamp = true;
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                options.ColorBehavior = LoggerColorBehavior.Disabled;
            });
        }

        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        // These two open the per-request and per-connection scopes only when enabled at all: off, they add no scope. What
        // they would log is said by the request's closing line, and a function's failure by the request pipeline.
        logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.None);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
        logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        return logging;
    }

    /// <summary><c>LOG_FORMAT=json</c>: one JSON object per entry; anything else (or unset): one plain line.</summary>
    public static bool IsJson(IConfiguration configuration)
        => string.Equals(configuration[EnvironmentVariables.LogFormat]?.Trim(), "json", StringComparison.OrdinalIgnoreCase);

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
