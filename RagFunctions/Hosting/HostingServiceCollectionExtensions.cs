using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace RagFunctions.Hosting;

internal static class HostingServiceCollectionExtensions
{
    /// <summary>What both hosts share: JSON, ProblemDetails, CORS settings, per-client rate limits, the admin gate, the app's metrics and the startup configuration line.</summary>
    public static IServiceCollection AddRagHosting(this IServiceCollection services, IConfiguration configuration)
    {
        services.ConfigureHttpJsonOptions(options =>
        {
            options.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            options.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        services.AddApiJson(RagJsonContext.Api);

        services.AddProblemDetails(options => options.CustomizeProblemDetails = ErrorMapping.Finish);
        services.Configure<ExceptionHandlerOptions>(options =>
            options.StatusCodeSelector = ErrorMapping.Status);

        services.AddOptionsWithValidateOnStart<CorsOriginsOptions, CorsOriginsOptionsValidator>().Bind(configuration);
        services.AddValidatedOptions<RateLimitOptions, RateLimitOptionsValidator>(configuration);
        services.AddSingleton<ClientRateLimiter>();
        services.AddValidatedOptions<AdminOptions, AdminOptionsValidator>(configuration);
        services.AddSingleton<AdminGate>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<RagMetrics>();
        services.AddSingleton<RequestPipeline>();
        services.AddHostedService<StartupReport>();
        return services;
    }

    /// <summary>
    /// Adds a capability's source-generated contracts to the JSON both hosts read and write (typed results, and the
    /// schemas of the OpenAPI document).
    /// </summary>
    public static IServiceCollection AddApiJson(this IServiceCollection services, JsonSerializerContext contracts)
        => services.ConfigureHttpJsonOptions(options =>
        {
            if (!options.SerializerOptions.TypeInfoResolverChain.Contains(contracts))
            {
                options.SerializerOptions.TypeInfoResolverChain.Insert(0, contracts);
            }
        });

    /// <summary>Binds options whose properties name their environment variables, validated when the app starts.</summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, IConfiguration configuration)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
        => services.AddOptionsWithValidateOnStart<TOptions, TValidator>().Bind(configuration);
}
