using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RagFunctions.Hosting;
using RagFunctions.Cohere;

namespace RagFunctions.Health;

internal static class HealthServiceCollectionExtensions
{
    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<HealthService>();
        services.AddSingleton<StartupReadiness>();
        services.AddHostedService(provider => provider.GetRequiredService<StartupReadiness>());
        services.AddApiJson(HealthJsonContext.Api);
        return services;
    }
}
