using Microsoft.AspNetCore.Builder;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace RagFunctions.Hosting;

/// <summary>
/// One exe, two hosts: under the Functions host (which passes <c>--functions-uri</c>),
/// or as a standalone Kestrel server (<c>dotnet run</c>); or a command-line job (<c>ingest</c>, …).
/// </summary>
internal static class RagHost
{
    public const string HostEndpointKey = "Functions:Worker:HostEndpoint";

    /// <param name="addServices">The app's capabilities, as both hosts and the command line compose them.</param>
    /// <param name="verbs">The command-line jobs the capabilities offer.</param>
    public static async Task<int> RunAsync(string[] args, Action<IServiceCollection, IConfiguration> addServices, IReadOnlyList<CommandLine.Verb> verbs)
    {
        try
        {
            if (CommandLine.IsJob(args, verbs))
            {
                return await CommandLine.RunAsync(args, addServices, verbs);
            }

            if (IsLaunchedByFunctionsHost(args))
            {
                await RunUnderFunctionsHostAsync(args, addServices);
                return 0;
            }

            await using var app = StandaloneHost.Build(args, addServices);
            await app.RunAsync();
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync("Configuration error: " + string.Join(" ", ex.Failures));
            return 2;
        }
    }

    /// <summary>The Functions host always hands the worker its gRPC endpoint; nothing else does.</summary>
    public static bool IsLaunchedByFunctionsHost(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddCommandLine(args, new Dictionary<string, string> { ["--functions-uri"] = HostEndpointKey })
            .Build();
        return !string.IsNullOrWhiteSpace(configuration[HostEndpointKey]);
    }

    private static async Task RunUnderFunctionsHostAsync(string[] args, Action<IServiceCollection, IConfiguration> addServices)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.ConfigureFunctionsWebApplication();
        builder.UseMiddleware<FunctionsRequestMiddleware>();
        // The host forwards worker logs to its console and to Application Insights: adding either here would send them twice.
        addServices(builder.Services, builder.Configuration);
        using var host = builder.Build();
        await host.RunAsync();
    }
}
