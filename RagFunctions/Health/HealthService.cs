using Microsoft.Extensions.Logging;
using RagFunctions.Cohere;
using RagFunctions.Hosting;
using RagFunctions.LanguageModels;
using RagFunctions.Retrieval;
using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Health;

/// <summary>
/// Probes the language model, the embeddings and the vector store, cheaply and cached: a monitor polling every few
/// seconds costs one store call per <see cref="CacheFor"/>. Cohere is never called while the outcome of the last real
/// call is known; it is probed (a one-text embed, no chat quota) only when nothing is known yet, when it was last seen
/// down more than <see cref="CohereRecheckWhenDown"/> ago, or when the caller forces it.
/// </summary>
internal sealed partial class HealthService(
    IVectorStore store,
    LanguageModelInfo models,
    CohereCallRecorder cohere,
    CohereProbe cohereProbe,
    DailyCallBudget budget,
    IndexState index,
    TimeProvider time,
    ILogger<HealthService> logger)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan CohereRecheckWhenDown = TimeSpan.FromMinutes(5);

    private readonly Dictionary<string, string> lastStatus = new(StringComparer.Ordinal);
    private readonly CachedValue<Checked> last = new();

    /// <summary>The services' health, from the cache unless it expired or <paramref name="fresh"/> is set.</summary>
    public async Task<HealthServices> CheckAsync(bool fresh, CancellationToken cancellationToken)
        => (await last.GetAsync(kept => !fresh && time.GetUtcNow() < kept.Until, ct => CheckNowAsync(fresh, ct), cancellationToken)).Services;

    public static string Overall(HealthServices services)
        => new[] { services.Llm, services.Embeddings, services.VectorStore }.All(s => s.Status is HealthStatus.Ok or HealthStatus.NotConfigured)
            ? HealthStatus.Ok
            : HealthStatus.Degraded;

    /// <summary>Ready to answer: the store answers and holds an index.</summary>
    public static bool IsReady(HealthServices services)
        => services.VectorStore.Status == HealthStatus.Ok && services.VectorStore.Chunks > 0;

    private async Task<Checked> CheckNowAsync(bool fresh, CancellationToken cancellationToken)
    {
        var cohereState = await CohereAsync(fresh, cancellationToken);
        var result = new HealthServices(Llm(cohereState), Embeddings(cohereState), await StoreAsync(cancellationToken));
        Report("llm", result.Llm);
        Report("embeddings", result.Embeddings);
        Report("vector_store", result.VectorStore);
        return new Checked(result, time.GetUtcNow() + CacheFor);
    }

    private bool UsesCohere => models.ChatProvider == LanguageModelInfo.Cohere || models.EmbeddingProvider == "cohere";

    private async Task<CallOutcome?> CohereAsync(bool fresh, CancellationToken cancellationToken)
    {
        if (!UsesCohere)
        {
            return null;
        }

        var known = cohere.Last;
        var stale = known is { Ok: false } && time.GetUtcNow() - known.At >= CohereRecheckWhenDown;
        return known is null || stale || fresh ? await cohereProbe.ProbeAsync(cancellationToken) : known;
    }

    private ServiceHealth Llm(CallOutcome? cohereState) => models.ChatProvider switch
    {
        LanguageModelInfo.None => new ServiceHealth("none", HealthStatus.NotConfigured),
        LanguageModelInfo.Cohere => WithBudget(FromOutcome("cohere", models.ChatModel, cohereState)),
        // An OpenAI-compatible server is not probed (any call may cost); its status is its configuration.
        _ => WithBudget(new ServiceHealth(models.ChatProvider, HealthStatus.Ok) { Model = models.ChatModel }),
    };

    private ServiceHealth WithBudget(ServiceHealth llm) => llm with { CallsToday = budget.Used, DailyCallLimit = budget.Limit };

    private ServiceHealth Embeddings(CallOutcome? cohereState) => models.EmbeddingProvider == "cohere"
        ? FromOutcome("cohere", models.EmbeddingModel, cohereState)
        : new ServiceHealth(models.EmbeddingProvider, HealthStatus.Ok) { Model = models.EmbeddingModel };

    private static ServiceHealth FromOutcome(string provider, string? model, CallOutcome? outcome)
        => new(provider, outcome is { Ok: false } ? HealthStatus.Down : HealthStatus.Ok)
        {
            Model = model,
            Error = outcome?.Error,
            LatencyMs = outcome?.Latency is { } latency ? (long)latency.TotalMilliseconds : null,
            CheckedAt = outcome?.At,
        };

    private async Task<ServiceHealth> StoreAsync(CancellationToken cancellationToken)
    {
        var collection = store.Collection;
        var configured = index.Embedding;
        var started = time.GetTimestamp();
        var down = (string error) => new ServiceHealth(store.Provider, HealthStatus.Down)
        {
            Collection = collection,
            Error = error,
            LatencyMs = (long)time.GetElapsedTime(started).TotalMilliseconds,
            CheckedAt = time.GetUtcNow(),
            EmbeddingModel = configured?.ToString(),
        };

        try
        {
            if (await store.ProbeAsync(cancellationToken) is { Ok: false } probe)
            {
                return down(probe.Error ?? $"{store.Provider} store is unreachable");
            }

            var stats = await store.GetStatsAsync(cancellationToken);
            var latency = (long)time.GetElapsedTime(started).TotalMilliseconds;
            if (configured is not null && stats.Embedding is { } built && built != configured)
            {
                return down(new IndexMismatchException(built, configured).Message);
            }

            return new ServiceHealth(store.Provider, HealthStatus.Ok)
            {
                Collection = collection,
                Chunks = stats.Chunks,
                Pages = stats.Pages,
                EmbeddingModel = (stats.Embedding ?? configured)?.ToString(),
                BuiltAt = stats.BuiltAt,
                LatencyMs = latency,
                CheckedAt = time.GetUtcNow(),
            };
        }
        catch (VectorStoreException ex)
        {
            return down(ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return down($"{store.Provider} store failed: {ex.GetType().Name}");
        }
    }

    /// <summary>One line when a service goes down (with the cause) and one when it comes back; nothing while it stays.</summary>
    private void Report(string service, ServiceHealth health)
    {
        lastStatus.TryGetValue(service, out var before);
        lastStatus[service] = health.Status;
        if (health.Status == HealthStatus.Down && before != HealthStatus.Down)
        {
            LogDown(logger, service, health.Provider, health.Error ?? "no answer");
        }
        else if (health.Status == HealthStatus.Ok && before == HealthStatus.Down)
        {
            LogRecovered(logger, service, health.Provider);
        }
    }

    private sealed record Checked(HealthServices Services, DateTimeOffset Until);

    [LoggerMessage(EventId = 6000, Level = LogLevel.Warning, Message = "Health: {Service} ({Provider}) is down: {Error}")]
    private static partial void LogDown(ILogger logger, string service, string provider, string error);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Health: {Service} ({Provider}) is ok again")]
    private static partial void LogRecovered(ILogger logger, string service, string provider);
}
