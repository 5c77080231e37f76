using Microsoft.Extensions.DependencyInjection;
using RagFunctions.Hosting;

namespace RagFunctions.Site;

internal static class SiteServiceCollectionExtensions
{
    /// <summary>The site's functions need nothing of their own but the contract of <c>/pages</c>.</summary>
    public static IServiceCollection AddSite(this IServiceCollection services)
        => services.AddApiJson(SiteJsonContext.Api);
}
