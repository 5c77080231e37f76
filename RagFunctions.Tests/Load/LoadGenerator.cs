using System.Diagnostics;
using System.Net.Http;

namespace RagFunctions.Tests.Load;

/// <summary>What one call found.</summary>
/// <param name="Error">Null when the call succeeded; else a short kind, e.g. <c>HTTP 503</c> or <c>degraded</c>.</param>
/// <param name="Label">What kind of success, e.g. the answer's mode or whether a translation was cached.</param>
/// <param name="FirstTokenMs">For a stream: when its first event arrived, from the start of the call.</param>
/// <param name="ServerMs">For an answer: the time the chat service took by its own clock (<c>latency_ms</c>).</param>
internal sealed record Outcome(string? Error, string? Label = null, double? FirstTokenMs = null, double? ServerMs = null);

/// <summary>One kind of call of a workload; <c>Call</c> gets a number unique in this process (for distinct questions).</summary>
internal sealed record Scenario(string Endpoint, Func<int, CancellationToken, Task<Outcome>> Call);

/// <param name="StartedAt">Seconds from the start of the run.</param>
internal sealed record Sample(string Endpoint, int Sequence, double StartedAt, double ElapsedMs, Outcome Outcome);

internal sealed class LoadResult(IReadOnlyList<Sample> samples, TimeSpan elapsed)
{
    public IReadOnlyList<Sample> Samples { get; } = samples;

    /// <summary>From the first call to the end of the last one (calls in flight at the deadline are finished).</summary>
    public TimeSpan Elapsed { get; } = elapsed;

    public double RequestsPerSecond => Samples.Count / Elapsed.TotalSeconds;

    public IReadOnlyList<Sample> For(string endpoint) => [.. Samples.Where(s => s.Endpoint == endpoint)];

    public IReadOnlyList<Sample> Failed => [.. Samples.Where(s => s.Outcome.Error is not null)];
}

/// <summary>
/// A closed loop: <c>workers</c> concurrent clients, each sending its next call as soon as the previous one is answered,
/// until <c>duration</c> is over. Worker <c>w</c>'s <c>n</c>-th call is <c>mix[(w + n) % mix.Count]</c>, so every kind
/// of call gets the same share of the calls and all kinds are in flight at any time.
/// </summary>
internal static class LoadGenerator
{
    private static int sequence;

    /// <summary>A client for load: enough pooled connections for every worker, a generous timeout.</summary>
    public static HttpClient CreateClient()
        => new(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };

    /// <summary>A number unique in this process: makes each question distinct and ties an upstream call to its request.</summary>
    public static int NextNumber() => Interlocked.Increment(ref sequence);

    public static async Task<LoadResult> RunAsync(int workers, TimeSpan duration, IReadOnlyList<Scenario> mix, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var perWorker = await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            var samples = new List<Sample>();
            for (var n = 0; clock.Elapsed < duration; n++)
            {
                var scenario = mix[(worker + n) % mix.Count];
                var number = NextNumber();
                var started = clock.Elapsed;
                var outcome = await CallAsync(scenario, number, cancellationToken);
                samples.Add(new Sample(scenario.Endpoint, number, started.TotalSeconds, (clock.Elapsed - started).TotalMilliseconds, outcome));
            }

            return samples;
        }, cancellationToken)));
        return new LoadResult([.. perWorker.SelectMany(s => s)], clock.Elapsed);
    }

    private static async Task<Outcome> CallAsync(Scenario scenario, int number, CancellationToken cancellationToken)
    {
        try
        {
            return await scenario.Call(number, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            return new Outcome($"{nameof(HttpRequestException)} ({ex.HttpRequestError})");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Outcome("client timeout");
        }
        catch (Exception ex) when (ex is IOException or System.Text.Json.JsonException)
        {
            return new Outcome(ex.GetType().Name);
        }
    }
}
