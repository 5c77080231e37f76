using RagFunctions.Hosting;
using RagFunctions.Tests.Fakes;

namespace RagFunctions.Tests.Load;

/// <summary>What the load runs share. They run one after the other (one collection): each needs the whole machine.</summary>
internal static class LoadRuns
{
    public const string Collection = "Load runs";

    /// <summary>The Cohere double's fixed latency, before it answers anything.</summary>
    public static readonly TimeSpan UpstreamLatency = TimeSpan.FromMilliseconds(300);

    /// <summary>Start-up ingestion of the sample book with the local embeddings takes 20-60 s on two cores.</summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(5);

    /// <summary>No language model: extractive answers. Per-client rate limit and daily model-call budget off.</summary>
    public static Dictionary<string, string> Extractive() => new()
    {
        [EnvironmentVariables.RateLimitPerMinute] = "0",
        [EnvironmentVariables.LlmDailyCallLimit] = "0",
    };

    /// <summary>Cohere (chat and translation) at the double; embeddings stay local.</summary>
    public static Dictionary<string, string> WithCohere(CohereDouble cohere)
    {
        var environment = Extractive();
        environment[EnvironmentVariables.CohereApiKey] = cohere.ApiKey;
        environment[EnvironmentVariables.CohereBaseUrl] = cohere.BaseUrl;
        return environment;
    }
}

[CollectionDefinition(LoadRuns.Collection, DisableParallelization = true)]
public sealed class LoadRunsCollection;
