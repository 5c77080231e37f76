using System.Diagnostics.Metrics;

namespace RagFunctions.Hosting;

/// <summary>
/// The app's metrics on the <see cref="MeterName"/> meter (System.Diagnostics.Metrics), for OpenTelemetry or
/// Application Insights to collect: requests and their latency per function, LLM latency and tokens, cache hits, refusals.
/// </summary>
internal sealed class RagMetrics : IDisposable
{
    public const string MeterName = "RagFunctions";

    private readonly Meter meter;
    private readonly Counter<long> requests;
    private readonly Histogram<double> requestDuration;
    private readonly Histogram<double> llmDuration;
    private readonly Counter<long> llmTokens;
    private readonly Counter<long> cacheHits;
    private readonly Counter<long> refusals;
    private readonly Counter<long> feedback;

    public RagMetrics(IMeterFactory meters)
    {
        meter = meters.Create(MeterName);
        requests = meter.CreateCounter<long>("rag.requests", "{request}", "HTTP requests per function and status code");
        requestDuration = meter.CreateHistogram<double>("rag.request.duration", "ms", "Request latency per function");
        llmDuration = meter.CreateHistogram<double>("rag.llm.duration", "ms", "Time the language model took to answer");
        llmTokens = meter.CreateCounter<long>("rag.llm.tokens", "{token}", "Tokens the language model read (input) and wrote (output)");
        cacheHits = meter.CreateCounter<long>("rag.cache.hits", "{answer}", "Answers served from the answer cache");
        refusals = meter.CreateCounter<long>("rag.refusals", "{answer}", "Questions the book could not answer");
        feedback = meter.CreateCounter<long>("rag.feedback", "{rating}", "Readers' ratings by rating");
    }

    public void Request(string function, int statusCode, TimeSpan elapsed)
    {
        var tags = new KeyValuePair<string, object?>[] { new("function", function), new("status_code", statusCode) };
        requests.Add(1, tags);
        requestDuration.Record(elapsed.TotalMilliseconds, new KeyValuePair<string, object?>("function", function));
    }

    public void Generated(string provider, TimeSpan elapsed, long? inputTokens, long? outputTokens)
    {
        var tag = new KeyValuePair<string, object?>("provider", provider);
        llmDuration.Record(elapsed.TotalMilliseconds, tag);
        if (inputTokens is { } input)
        {
            llmTokens.Add(input, tag, new("direction", "input"));
        }

        if (outputTokens is { } output)
        {
            llmTokens.Add(output, tag, new("direction", "output"));
        }
    }

    public void CacheHit() => cacheHits.Add(1);

    public void Refused() => refusals.Add(1);

    public void Rated(string rating) => feedback.Add(1, new KeyValuePair<string, object?>("rating", rating));

    public void Dispose() => meter.Dispose();
}
