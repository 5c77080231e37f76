using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;
using RagFunctions.Hosting;

namespace RagFunctions.Agents;

internal static class AgentsServiceCollectionExtensions
{
    /// <summary>
    /// The MCP server (the SDK's, stateless, with this capability's tools and resources as its handlers), the book's text
    /// for agents, and the tools' JSON. Needs what <c>AddChat</c> registers (the retriever, the catalog, the chat pipeline).
    /// </summary>
    public static IServiceCollection AddAgents(this IServiceCollection services)
    {
        services.AddSingleton<BookText>();
        services.AddSingleton<BookTools>();
        services.AddSingleton<McpEndpoint>();
        services.AddApiJson(AgentsJsonContext.Api);

        // The SDK logs every request's start and end at Information (the request log scope already says which ran), and
        // a client's bad tool arguments as an Error "threw an unhandled exception". BookTools logs real failures itself.
        services.Configure<LoggerFilterOptions>(options => options
            .AddFilter("ModelContextProtocol", LogLevel.Warning)
            .AddFilter("ModelContextProtocol.Server.McpServer", LogLevel.Critical));
        services
            .AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation
                {
                    Name = "book",
                    Title = "The book, for coding agents",
                    Version = typeof(AgentsServiceCollectionExtensions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "1.0",
                };
                options.ServerInstructions = BookTools.Instructions;
            })
            .WithHttpTransport(transport => transport.SessionMode = HttpServerSessionMode.Stateless)
            .WithListToolsHandler((_, _) => BookTools.ListAsync())
            .WithCallToolHandler((request, cancellationToken) => Tools(request.Services).CallAsync(request.Params, cancellationToken))
            .WithListResourcesHandler((request, cancellationToken) => Tools(request.Services).ListResourcesAsync(cancellationToken))
            .WithReadResourceHandler((request, cancellationToken) => Tools(request.Services).ReadResourceAsync(request.Params, cancellationToken));
        return services;
    }

    private static BookTools Tools(IServiceProvider? services)
        => (services ?? throw new InvalidOperationException("The MCP request has no services.")).GetRequiredService<BookTools>();
}
