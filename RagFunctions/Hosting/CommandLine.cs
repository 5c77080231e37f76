using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RagFunctions.Hosting;

/// <summary>
/// Jobs run by the same exe: <c>dotnet run --project RagFunctions -- &lt;verb&gt;</c>. Each verb builds the same services
/// as the hosts (same configuration, same validation) without starting a server.
/// </summary>
internal static class CommandLine
{
    /// <summary>A job the composition root lists; built with a way to reach the app's services once parsing picked it.</summary>
    public delegate Command Verb(Func<IServiceProvider> services);

    /// <summary>The verbs log warnings and errors only (to stderr).</summary>
    public const LogLevel MinimumLevel = LogLevel.Warning;

    public static bool IsJob(string[] args, IReadOnlyList<Verb> verbs)
        => args.Length > 0 && (Commands(verbs).Any(c => c.Name == args[0]) || args[0] is "--help" or "-h" or "-?");

    /// <param name="errors">Where a job that fails says so (standard error unless given).</param>
    public static async Task<int> RunAsync(
        string[] args, Action<IServiceCollection, IConfiguration> addServices, IReadOnlyList<Verb> verbs,
        string description = "RagFunctions: answers questions about a Docusaurus book. Without a verb, serves HTTP on :7860.",
        TextWriter? errors = null)
    {
        errors ??= Console.Error;
        ServiceProvider? services = null;
        var root = new RootCommand(description);
        foreach (var command in Commands(verbs, () => services ??= BuildServices(addServices)))
        {
            root.Add(command);
        }

        try
        {
            // A setting that fails validation reaches the caller, which names it ("Configuration error: …", exit 2) as it
            // does for the servers; anything else is reported here as the parser's own handler would.
            return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (OperationCanceledException ex)
        {
            // Ctrl+C, or a wait that ran out (an HTTP timeout while crawling a sitemap): the job stopped where it was.
            await errors.WriteLineAsync($"Stopped: {ex.Message}");
            return 130;
        }
        catch (Exception ex) when (ex is not OptionsValidationException)
        {
            await errors.WriteLineAsync($"Unhandled exception: {ex}");
            return 1;
        }
        finally
        {
            if (services is not null)
            {
                await services.DisposeAsync();
            }
        }
    }

    private static IEnumerable<Command> Commands(IReadOnlyList<Verb> verbs, Func<IServiceProvider>? services = null)
        => verbs.Select(v => v(services ?? (() => throw new InvalidOperationException("No services while listing verbs."))));

    internal static ServiceProvider BuildServices(Action<IServiceCollection, IConfiguration> addServices)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        // Logs go to stderr, warnings and errors only: stdout is the verb's own output (a progress bar, a table), and the
        // two never share a line. Each verb's messages for the operator are its output, not log lines. The level is in the
        // filter itself: a filter rule without a level would lift the minimum level and let debug lines through.
        services.AddLogging(logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(MinimumLevel)
            .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddFilter((category, level) => level >= MinimumLevel && category is not null && !category.StartsWith("Microsoft.", StringComparison.Ordinal)));
        addServices(services, configuration);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false, ValidateScopes = true });
        provider.GetService<IStartupValidator>()?.Validate();
        return provider;
    }
}
