namespace RagFunctions.Health;

/// <summary>The body of <c>GET /health</c>. <c>status</c> and <c>version</c> are what the frontend checks; keep them.</summary>
/// <param name="Status"><c>ok</c> when every configured service answers, <c>degraded</c> otherwise.</param>
internal sealed record HealthResponse(string Status, string Version, HealthServices? Services = null);

internal sealed record HealthServices(ServiceHealth Llm, ServiceHealth Embeddings, ServiceHealth VectorStore);

/// <summary>One dependency as the last probe (or the last real call) saw it.</summary>
/// <param name="Status"><see cref="HealthStatus.Ok"/>, <see cref="HealthStatus.Down"/> or <see cref="HealthStatus.NotConfigured"/>.</param>
/// <param name="Error">A short cause in operator words, never a key.</param>
/// <param name="CheckedAt">When the status was learnt.</param>
internal sealed record ServiceHealth(string Provider, string Status)
{
    public string? Model { get; init; }

    public long? LatencyMs { get; init; }

    public string? Error { get; init; }

    public DateTimeOffset? CheckedAt { get; init; }

    public string? Collection { get; init; }

    public long? Chunks { get; init; }

    public long? Pages { get; init; }

    public string? EmbeddingModel { get; init; }

    public DateTimeOffset? BuiltAt { get; init; }

    /// <summary>Language-model calls this instance made today (UTC), against <see cref="DailyCallLimit"/> (0 = no limit).</summary>
    public int? CallsToday { get; init; }

    public int? DailyCallLimit { get; init; }
}

internal static class HealthStatus
{
    public const string Ok = "ok";
    public const string Degraded = "degraded";
    public const string Down = "down";
    public const string NotConfigured = "not_configured";
    public const string Version = "1.0";
}
