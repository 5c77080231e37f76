using Microsoft.Extensions.DependencyInjection;

namespace RagFunctions.Health;

internal static class HealthServiceCollectionExtensions
{
    public static IServiceCollection AddHealth(this IServiceCollection services) => services;
}
