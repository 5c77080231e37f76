using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RagFunctions.Health;
using RagFunctions.Hosting;

return await RagHost.RunAsync(args, AppServices.Add);

/// <summary>The app's capabilities, one line each; both hosts and the command line compose the same services.</summary>
internal static class AppServices
{
    public static void Add(IServiceCollection services, IConfiguration configuration) => services
        .AddRagHosting(configuration)
        .AddHealth();
}
