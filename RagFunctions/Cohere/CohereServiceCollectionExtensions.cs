using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RagFunctions.Hosting;

namespace RagFunctions.Cohere;

internal static class CohereServiceCollectionExtensions
{
    /// <summary>
    /// Cohere's options (validated at start) and its HTTP client: base address from <c>COHERE_BASE_URL</c>,
    /// bearer key, <c>X-Client-Name</c>, header values redacted from HTTP logs, and <see cref="CohereResilience"/>.
    /// Which Cohere services the app uses is decided in <c>AddLanguageModels</c>.
    /// </summary>
    public static IServiceCollection AddCohere(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<CohereOptions, CohereOptionsValidator>(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<CohereCallRecorder>();
        services.AddSingleton<CohereHttp>();
        services.AddSingleton<CohereProbe>();
        services.AddHttpClient(CohereHttp.ClientName, static (provider, http) =>
            {
                var options = provider.GetRequiredService<IOptions<CohereOptions>>().Value;
                http.BaseAddress = options.BaseUri;

                // A backstop only: the pipeline's timeouts fire first. For streams it ends with the response headers.
                http.Timeout = options.TotalTimeout + TimeSpan.FromSeconds(10);
                if (options.ApiKey is not null)
                {
                    CohereHeaders.Apply(http.DefaultRequestHeaders, options.ApiKey);
                }
            })
            // Closing, not draining, a stream the caller abandoned: Cohere stops generating (and billing) at once.
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler { MaxResponseDrainSize = 0 })
            .RedactLoggedHeaders(static _ => true)
            .AddResilienceHandler("cohere", static (builder, context) => CohereResilience.Configure(
                builder,
                context.ServiceProvider.GetRequiredService<IOptions<CohereOptions>>().Value,
                context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CohereHttp).FullName!),
                context.ServiceProvider.GetService<TimeProvider>() ?? TimeProvider.System));
        return services;
    }
}
