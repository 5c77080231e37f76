using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using RagFunctions.Hosting;

namespace RagFunctions.Health;

/// <summary>
/// <c>GET /health</c>: liveness (always 200, so a platform never restarts us for a provider outage) with each service's
/// state; <c>?ready=1</c> answers 503 while the index is empty, still being built at start, or the store unreachable, and
/// until the local embedding model is loaded and warm;
/// <c>?probe=true</c> skips the cache.
/// </summary>
internal sealed class HealthFunction(HealthService health, Ingestion.StartupIngestion startup, Retrieval.Embeddings.EmbeddingWarmup warmup)
{
    [Function("health")]
    [ApiDoc("Health of the service and its dependencies", Tag = ApiTags.Health, Response = typeof(HealthResponse), Errors = [StatusCodes.Status503ServiceUnavailable],
        Query = ["ready: 1 to answer 503 while the index is empty, still being built, or unreachable, or the embedding model still loading", "probe: 1 to check each dependency now instead of using the cached state"],
        Description = "Always 200 for liveness; `status` is ok when every configured service answers, degraded otherwise.")]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request, CancellationToken cancellationToken)
    {
        var services = await health.CheckAsync(fresh: IsSet(request, "probe"), cancellationToken);
        var response = new HealthResponse(HealthService.Overall(services), HealthStatus.Version, services);
        var ready = startup.Completion.IsCompleted && warmup.Completion.IsCompleted && HealthService.IsReady(services);
        var status = IsSet(request, "ready") && !ready ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        return TypedResults.Json(response, HealthJsonContext.Api.HealthResponse, statusCode: status);
    }

    private static bool IsSet(HttpRequest request, string name)
        => request.Query[name].ToString() is "1" or "true" or "True" or "yes";
}
