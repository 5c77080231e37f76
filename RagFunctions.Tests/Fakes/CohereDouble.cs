using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace RagFunctions.Tests.Fakes;

/// <summary>
/// Cohere v2 on loopback, faithful at the wire: <c>POST /v2/chat</c> (JSON or SSE), <c>/v2/embed</c>, <c>/v2/rerank</c>,
/// bearer auth, Cohere's 400/401 bodies, deterministic answers, and switches for everything a client must survive.
/// <code>
/// await using var cohere = await CohereDouble.StartAsync();
/// // COHERE_BASE_URL = cohere.BaseUrl, COHERE_API_KEY = cohere.ApiKey
/// cohere.Enqueue(CohereDouble.ChatPath, CohereFault.RateLimited(), CohereFault.RateLimited()); // then OK
/// cohere.HoldStreamAfterTokens(1); ... cohere.ReleaseStream();
/// var sent = cohere.RequestsTo(CohereDouble.ChatPath)[0].Json;
/// </code>
/// Answers: chat quotes the first sentence of each document (up to 3) after "According to the book:", each quote cited
/// with start/end (end exclusive) into the text; embed returns hash-seeded unit vectors (<see cref="VectorFor"/>);
/// rerank scores word overlap (identical text scores 1).
/// </summary>
internal sealed partial class CohereDouble : IAsyncDisposable
{
    public const string ChatPath = "/v2/chat";
    public const string EmbedPath = "/v2/embed";
    public const string RerankPath = "/v2/rerank";

    private readonly WebApplication app;
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentQueue<CohereRecordedRequest> requests = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<CohereFault>> faults = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CohereFault> outages = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource streamCompleted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource streamAborted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource streamHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? gate;
    private int holdAfterTokens;
    private int disposed;

    private CohereDouble(WebApplication app) => this.app = app;

    /// <summary>The base URL to configure as <c>COHERE_BASE_URL</c>, e.g. <c>http://127.0.0.1:54321</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The only key accepted as <c>Authorization: Bearer</c>.</summary>
    public string ApiKey { get; } = "co-test-" + Guid.NewGuid().ToString("N");

    /// <summary>Added before every answer on every route (benchmarks: e.g. 300 ms).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Pause after each streamed text delta.</summary>
    public TimeSpan TokenDelay { get; set; }

    public CitationPlacement StreamCitations { get; set; } = CitationPlacement.AsRequested;

    /// <summary>A reasoning model: a thinking block at content index 0, the text at index 1.</summary>
    public bool Thinking { get; set; }

    /// <summary>Ends streams with a trailing <c>data: [DONE]</c> after <c>message-end</c>.</summary>
    public bool SendDoneMarker { get; set; }

    /// <summary>When set, a stream stops after two deltas with <c>finish_reason: ERROR</c> and this <c>delta.error</c>.</summary>
    public string? StreamError { get; set; }

    /// <summary>
    /// When set, a stream drops the connection after this many text deltas. Combine it with
    /// <see cref="HoldStreamAfterTokens"/> (same count) and release once the caller has read them: a dropped
    /// connection resets, and a reset discards whatever the caller had not read yet, headers included.
    /// </summary>
    public int? DisconnectAfterTokens { get; set; }

    /// <summary>"\n" (default) or "\r\n" between SSE lines.</summary>
    public string LineEnding { get; set; } = "\n";

    /// <summary>When set, the chat answer (without citations) instead of quoting the documents.</summary>
    public string? Answer { get; set; }

    /// <summary>
    /// When set, computes the chat answer (without citations) from the request JSON; null from it falls back to the
    /// usual answer. Called concurrently. E.g. <see cref="FakeTranslator"/>.
    /// </summary>
    public Func<JsonElement, string?>? Respond { get; set; }

    /// <summary>When false, requests are not kept (<see cref="Requests"/> stays empty): load runs send too many to keep.</summary>
    public bool RecordRequests { get; set; } = true;

    /// <summary>
    /// Called after each request was answered, with the time from its arrival to the last byte written: the upstream
    /// share of a caller's latency (load runs). Called concurrently.
    /// </summary>
    public Action<CohereRecordedRequest, TimeSpan>? Answered { get; set; }

    public IReadOnlyList<CohereRecordedRequest> Requests => [.. requests];

    /// <summary>Completes when a stream has written its <c>message-end</c> (and <c>[DONE]</c>).</summary>
    public Task StreamCompleted => streamCompleted.Task;

    /// <summary>Completes when a caller closed the connection while a stream was still being written.</summary>
    public Task StreamAborted => streamAborted.Task;

    /// <summary>Completes when a stream reached the point set by <see cref="HoldStreamAfterTokens"/>.</summary>
    public Task StreamHeld => streamHeld.Task;

    public static async Task<CohereDouble> StartAsync(CancellationToken cancellationToken = default)
    {
        var app = LoopbackServer.CreateBuilder().Build();
        var cohere = new CohereDouble(app);
        app.Run(cohere.HandleAsync);
        await app.StartAsync(cancellationToken);
        cohere.BaseUrl = LoopbackServer.Address(app).ToString().TrimEnd('/');
        return cohere;
    }

    public IReadOnlyList<CohereRecordedRequest> RequestsTo(string path) => [.. requests.Where(r => r.Path == path)];

    /// <summary>Queues faults for the next requests to <paramref name="path"/>, one per request, in order.</summary>
    public void Enqueue(string path, params CohereFault[] routeFaults)
    {
        var queue = faults.GetOrAdd(path, _ => new ConcurrentQueue<CohereFault>());
        foreach (var fault in routeFaults)
        {
            queue.Enqueue(fault);
        }
    }

    /// <summary>
    /// Every request to <paramref name="path"/> meets <paramref name="fault"/> (after any queued faults) until
    /// <see cref="Heal"/>: an outage that outlasts the client's retries, rather than a blip.
    /// </summary>
    public void FailEvery(string path, CohereFault fault) => outages[path] = fault;

    /// <summary>Ends every outage set by <see cref="FailEvery"/> and <see cref="DisconnectAfterTokens"/>: Cohere is well again.</summary>
    public void Heal()
    {
        outages.Clear();
        DisconnectAfterTokens = null;
    }

    /// <summary>Streams stop after <paramref name="tokens"/> text deltas (flushed) until <see cref="ReleaseStream"/>.</summary>
    public void HoldStreamAfterTokens(int tokens)
    {
        holdAfterTokens = tokens;
        streamHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void ReleaseStream() => gate?.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        await stopping.CancelAsync();
        gate?.TrySetResult();
        await app.StopAsync();
        await app.DisposeAsync();
        stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping.Token);
        var aborted = linked.Token;
        var path = context.Request.Path.Value ?? "";
        var received = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var body = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync(aborted);
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var recorded = new CohereRecordedRequest(context.Request.Method, path, headers, body);
            if (RecordRequests)
            {
                requests.Enqueue(recorded);
            }

            // At least the latency, as a stopwatch measures it: a timer may fire a little early.
            var waiting = System.Diagnostics.Stopwatch.StartNew();
            while (waiting.Elapsed < Latency)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling((Latency - waiting.Elapsed).TotalMilliseconds)), aborted);
            }

            if (NextFault(path) is { } fault && await ApplyFaultAsync(context, fault, IsStreamRequest(body), aborted))
            {
                return;
            }

            if (!HttpMethods.IsPost(context.Request.Method) || path is not (ChatPath or EmbedPath or RerankPath))
            {
                await ErrorAsync(context, 404, $"invalid request: unknown path {context.Request.Method} {path}", aborted);
                return;
            }

            if (context.Request.Headers.Authorization.ToString() != "Bearer " + ApiKey)
            {
                await ErrorAsync(context, 401, "invalid api token", aborted);
                return;
            }

            JsonElement request;
            try
            {
                request = JsonDocument.Parse(body).RootElement.Clone();
            }
            catch (JsonException)
            {
                await ErrorAsync(context, 400, "invalid request: the body is not valid JSON", aborted);
                return;
            }

            if (request.ValueKind != JsonValueKind.Object)
            {
                await ErrorAsync(context, 400, "invalid request: the body must be a JSON object", aborted);
                return;
            }

            await (path switch
            {
                ChatPath => ChatAsync(context, request, aborted),
                EmbedPath => EmbedAsync(context, request, aborted),
                _ => RerankAsync(context, request, aborted),
            });
            Answered?.Invoke(recorded, System.Diagnostics.Stopwatch.GetElapsedTime(received));
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The caller went away (or the double is stopping): nothing left to answer.
        }
    }

    private CohereFault? NextFault(string path)
        => faults.TryGetValue(path, out var queue) && queue.TryDequeue(out var queued) ? queued
            : outages.TryGetValue(path, out var outage) ? outage
            : null;

    /// <returns>True when the fault answered the request; false to answer normally after it.</returns>
    private static async Task<bool> ApplyFaultAsync(HttpContext context, CohereFault fault, bool stream, CancellationToken aborted)
    {
        switch (fault.Kind)
        {
            case CohereFaultKind.Slow:
                await Task.Delay(fault.Delay, aborted);
                return false;

            case CohereFaultKind.Disconnect:
                context.Abort();
                return true;

            case CohereFaultKind.MalformedJson when stream:
                context.Response.ContentType = "text/event-stream";
                await context.Response.WriteAsync("event: message-start\ndata: {\"type\":\"message-start\",\"id\":\n\n", aborted);
                return true;

            case CohereFaultKind.MalformedJson:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"id\":\"cut\",\"finish_reason\":\"COMPLETE\",\"message\":{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"cut o", aborted);
                return true;

            default:
                foreach (var (name, value) in fault.Headers)
                {
                    context.Response.Headers[name] = value;
                }

                await ErrorAsync(context, fault.StatusCode, MessageFor(fault.StatusCode), aborted);
                return true;
        }
    }

    private static string MessageFor(int status) => status switch
    {
        400 => "invalid request: injected fault",
        401 => "invalid api token",
        402 => "Please add or update your payment method to continue using the API.",
        403 => "forbidden",
        404 => "model not found",
        422 => "unprocessable entity",
        429 => "You are using a Trial key, which is limited to 20 API calls / minute.",
        498 => "blocked input: please adjust your prompt and try again, as it may be a potential violation of our Usage Guidelines",
        499 => "request cancelled",
        500 => "internal server error",
        501 => "not implemented",
        503 => "service unavailable",
        504 => "gateway timeout",
        _ => "error",
    };

    private static async Task ErrorAsync(HttpContext context, int status, string message, CancellationToken aborted)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var body = new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["message"] = message };
        await context.Response.WriteAsync(body.ToJsonString(), aborted);
    }

    private static async Task JsonAsync(HttpContext context, JsonNode body, CancellationToken aborted)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.Headers["X-API-Warning"] = "this is a test double";
        await context.Response.WriteAsync(body.ToJsonString(), aborted);
    }

    private static bool IsStreamRequest(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>A JSON number written with a decimal point, as Cohere sometimes sends token counts (<c>18.0</c>).</summary>
    private static JsonNode FloatCount(int value) => JsonNode.Parse(value.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".0")!;

    private static string NewId() => Guid.NewGuid().ToString();
}
