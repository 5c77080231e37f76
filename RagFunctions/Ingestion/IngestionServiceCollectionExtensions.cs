using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RagFunctions.Hosting;
using RagFunctions.Retrieval;

namespace RagFunctions.Ingestion;

internal static class IngestionServiceCollectionExtensions
{
    /// <summary>
    /// Reading the book (docs folder or sitemap), indexing it, indexing it at start when the index is empty, and noticing
    /// (and logging) when the index is rebuilt from elsewhere.
    /// </summary>
    public static IServiceCollection AddIngestion(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<BookOptions, BookOptionsValidator>(configuration);
        services.TryAddSingleton(provider => new BookSite(provider.GetRequiredService<IOptions<BookOptions>>().Value.SiteUrl));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<BookSource>();
        services.AddSingleton<IngestionService>();
        services.AddSingleton<StartupIngestion>();
        services.AddSingleton<IHostedService>(provider => provider.GetRequiredService<StartupIngestion>());
        services.AddHostedService<IndexWatcher>();

        services.AddHttpClient<SitemapCrawler>(SitemapCrawler.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(provider =>
            {
                var sitemap = provider.GetRequiredService<IOptions<BookOptions>>().Value.SitemapUrl;
                var allowLocal = Uri.TryCreate(sitemap, UriKind.Absolute, out var uri) && IsLocalHost(uri.Host);
                return new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    ConnectTimeout = TimeSpan.FromSeconds(10),
                    ConnectCallback = (context, cancellationToken) => SitemapCrawler.ConnectAsync(context, allowLocal, cancellationToken),
                };
            })
            .AddStandardResilienceHandler(options =>
            {
                options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(15);
                options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(60);
                options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(60);
                options.Retry.MaxRetryAttempts = 2;
            });
        services.AddApiJson(IngestionJsonContext.Api);
        return services;
    }

    /// <summary>A sitemap on this machine or the local network is a development site: its own addresses are allowed.</summary>
    private static bool IsLocalHost(string host)
        => host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
           || IPAddress.TryParse(host.Trim('[', ']'), out var address) && SitemapCrawler.IsLocal(address);
}
