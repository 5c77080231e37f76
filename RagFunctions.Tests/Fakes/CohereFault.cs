namespace RagFunctions.Tests.Fakes;

/// <summary>
/// One injected misbehaviour of <see cref="CohereDouble"/>, consumed by the next request to its route
/// (<see cref="CohereDouble.Enqueue"/>): "the first two calls answer 429, then all is well".
/// </summary>
internal sealed record CohereFault
{
    private CohereFault(CohereFaultKind kind, int statusCode = 200, TimeSpan delay = default, IReadOnlyDictionary<string, string>? headers = null)
    {
        Kind = kind;
        StatusCode = statusCode;
        Delay = delay;
        Headers = headers ?? new Dictionary<string, string>();
    }

    public CohereFaultKind Kind { get; }

    public int StatusCode { get; }

    public TimeSpan Delay { get; }

    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>An error status with Cohere's error body, e.g. 400, 401, 402, 404, 498, 499, 500, 501, 503, 504.</summary>
    public static CohereFault Status(int status, IReadOnlyDictionary<string, string>? headers = null)
        => new(CohereFaultKind.Status, status, headers: headers);

    /// <summary>429, with <c>Retry-After</c> (seconds or an HTTP date, as given) and/or <c>retry-after-ms</c> when asked.</summary>
    public static CohereFault RateLimited(string? retryAfter = null, int? retryAfterMs = null)
    {
        var headers = new Dictionary<string, string>();
        if (retryAfter is not null)
        {
            headers["Retry-After"] = retryAfter;
        }

        if (retryAfterMs is { } ms)
        {
            headers["retry-after-ms"] = ms.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return Status(429, headers);
    }

    public static CohereFault ServerError => Status(500);

    public static CohereFault Unavailable => Status(503);

    public static CohereFault GatewayTimeout => Status(504);

    /// <summary>498: a deny-listed token in the request or response (content, not auth).</summary>
    public static CohereFault Blocked => Status(498);

    /// <summary>Waits, then answers normally (or not at all, if the caller gave up first).</summary>
    public static CohereFault Slow(TimeSpan delay) => new(CohereFaultKind.Slow, delay: delay);

    /// <summary>200 with a cut-off JSON body (for a stream: an event whose data is cut off).</summary>
    public static CohereFault MalformedJson => new(CohereFaultKind.MalformedJson);

    /// <summary>Drops the connection without answering: a transport error.</summary>
    public static CohereFault Disconnect => new(CohereFaultKind.Disconnect);
}

internal enum CohereFaultKind
{
    Status,
    Slow,
    MalformedJson,
    Disconnect,
}

/// <summary>Where a stream sends its citations.</summary>
internal enum CitationPlacement
{
    /// <summary>As the request's <c>citation_options.mode</c> says (ACCURATE unless FAST).</summary>
    AsRequested,

    /// <summary>All after the text's <c>content-end</c>, as ACCURATE mode does.</summary>
    Accurate,

    /// <summary>Interleaved with the deltas, right after the text each one covers, as FAST mode does.</summary>
    Fast,
}

/// <summary>A request as the double received it: the raw JSON body, and header values joined by commas.</summary>
internal sealed record CohereRecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public System.Text.Json.JsonElement Json => System.Text.Json.JsonDocument.Parse(Body).RootElement.Clone();

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
