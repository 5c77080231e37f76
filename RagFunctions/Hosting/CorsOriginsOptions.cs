using System.Text.Json;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace RagFunctions.Hosting;

/// <summary>
/// <c>CORS_ALLOWED_ORIGINS</c>: a JSON array (the form the Functions host reads when
/// <c>FUNCTIONS_ENABLE_CORS_CONFIGURATION=1</c>) or a comma list. The standalone host applies it itself.
/// </summary>
internal sealed class CorsOriginsOptions
{
    public const string DefaultOrigins = "http://localhost:3000,http://localhost:3001";

    /// <summary>Response headers a browser page on another origin may read: the request id, and when to retry after a 429.</summary>
    public static readonly string[] ExposedHeaders = [RequestLogScope.HeaderName, "Retry-After"];

    [ConfigurationKeyName(EnvironmentVariables.CorsAllowedOrigins)]
    public string? AllowedOrigins { get; set; }

    public IReadOnlyList<string> Origins => Parse(AllowedOrigins);

    public static IReadOnlyList<string> Parse(string? value)
    {
        var text = string.IsNullOrWhiteSpace(value) ? DefaultOrigins : value.Trim();
        var items = text.StartsWith('[')
            ? JsonSerializer.Deserialize(text, RagJsonContext.Api.StringArray) ?? []
            : text.Split(',');
        return items.Select(o => o.Trim().TrimEnd('/')).Where(o => o.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
    }
}

internal sealed class CorsOriginsOptionsValidator : IValidateOptions<CorsOriginsOptions>
{
    public ValidateOptionsResult Validate(string? name, CorsOriginsOptions options)
    {
        IReadOnlyList<string> origins;
        try
        {
            origins = options.Origins;
        }
        catch (JsonException)
        {
            return ValidateOptionsResult.Fail($"{EnvironmentVariables.CorsAllowedOrigins} starts with '[' but is not a JSON array of strings.");
        }

        var bad = origins.FirstOrDefault(o => o != "*" && !IsOrigin(o));
        return bad is null
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{EnvironmentVariables.CorsAllowedOrigins} must list origins such as https://example.github.io (scheme and host, no path); '{bad}' is not one.");
    }

    private static bool IsOrigin(string value)
        => Uri.TryCreate(value, UriKind.Absolute, out var uri)
           && uri.Scheme is "http" or "https"
           && uri.AbsolutePath == "/" && string.IsNullOrEmpty(uri.Query) && !value.EndsWith('/');
}

/// <summary>Turns <see cref="CorsOriginsOptions"/> into the standalone host's CORS policy.</summary>
internal sealed class CorsPolicySetup(IOptions<CorsOriginsOptions> settings) : IConfigureOptions<CorsOptions>
{
    public void Configure(CorsOptions options)
    {
        var origins = settings.Value.Origins;
        var policy = new CorsPolicyBuilder().AllowAnyHeader().WithMethods("GET", "POST", "OPTIONS")
            .WithExposedHeaders(CorsOriginsOptions.ExposedHeaders)
            .SetPreflightMaxAge(TimeSpan.FromHours(1));
        if (origins.Contains("*"))
        {
            policy.AllowAnyOrigin();
        }
        else
        {
            // Exact origins, so browsers that send credentials (cookies, auth) are served too.
            policy.WithOrigins([.. origins]).AllowCredentials();
        }

        options.AddPolicy(StandaloneHost.CorsPolicy, policy.Build());
    }
}
