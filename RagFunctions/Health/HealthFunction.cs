using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using RagFunctions.Hosting;

namespace RagFunctions.Health;

/// <summary>
/// <c>GET /health</c>: liveness (always 200, so a platform never restarts us for a provider outage) with each service's
/// state; <c>?ready=1</c> answers 503 while the index is empty, still being built at start, or the store unreachable, and
/// until the start-up warm-ups are done (the local embedding model loaded and warm, a first question through the chat pipeline);
/// <c>?probe=true</c> skips the cache.
/// </summary>
internal sealed class HealthFunction(HealthService health, Ingestion.StartupIngestion startup, StartupReadiness readiness)
{
    [Function("health")]
    [ApiDoc("Health of the service and its dependencies", Tag = ApiTags.Health, Response = typeof(HealthResponse), Errors = [StatusCodes.Status503ServiceUnavailable],
        Query = ["ready: 1 to answer 503 while the index is empty, still being built, or unreachable, or the service still warming up (the embedding model, a first question)", "probe: 1 to check each dependency now instead of using the cached state"],
        Description = "Always 200 for liveness; `status` is ok when every configured service answers, degraded otherwise.")]
    public async Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request, CancellationToken cancellationToken)
    {
        var services = await health.CheckAsync(fresh: IsSet(request, "probe"), cancellationToken);
        if (IsSet(request, "ready") && !HealthService.IsReady(services) && services.VectorStore.CheckedAt < startup.FinishedAt)
        {
            // The kept check is older than the index built at start: readiness looks again rather than wait out the cache.
            services = await health.CheckAsync(fresh: true, cancellationToken);
        }

        var response = new HealthResponse(HealthService.Overall(services), HealthStatus.Version, services);
        var ready = readiness.Done && HealthService.IsReady(services);
        var status = IsSet(request, "ready") && !ready ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        return TypedResults.Json(response, HealthJsonContext.Api.HealthResponse, statusCode: status);
    }

    private static bool IsSet(HttpRequest request, string name)
        => request.Query[name].ToString() is "1" or "true" or "True" or "yes";
}
