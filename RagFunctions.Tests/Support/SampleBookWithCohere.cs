using Microsoft.Extensions.DependencyInjection;
using RagFunctions.Cohere;
using RagFunctions.Tests.Fakes;

namespace RagFunctions.Tests.Support;

/// <summary>The app over the ingested sample book, with Cohere chat pointed at the test double (fast retries).</summary>
internal static class SampleBookWithCohere
{
    public static async Task<TestApp> StartAppAsync(
        CohereDouble cohere, Action<CohereOptions>? tune = null, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>(extra ?? new Dictionary<string, string?>())
        {
            ["RAG_DATA_DIR"] = await SampleBookIndex.CopyAsync(),
            ["COHERE_API_KEY"] = cohere.ApiKey,
            ["COHERE_BASE_URL"] = cohere.BaseUrl,
        };
        return await TestApp.StartAsync(settings, (services, configuration) =>
        {
            AppServices.Add(services, configuration);
            services.PostConfigure<CohereOptions>(options =>
            {
                options.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
                options.AttemptTimeout = TimeSpan.FromSeconds(5);
                options.TotalTimeout = TimeSpan.FromSeconds(10);
                options.StreamIdleTimeout = TimeSpan.FromSeconds(5);
                tune?.Invoke(options);
            });
        });
    }
}
