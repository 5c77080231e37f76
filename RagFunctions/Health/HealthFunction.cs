using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace RagFunctions.Health;

/// <summary><c>GET /health</c>: liveness for the frontend and the platform.</summary>
internal sealed class HealthFunction
{
    [Function("health")]
    public IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request)
        => TypedResults.Ok(new HealthResponse("ok", "1.0"));
}

internal sealed record HealthResponse(string Status, string Version);
