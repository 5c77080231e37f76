namespace RagFunctions.Tests.Load;

/// <summary>The resident memory of each server, sampled every second while a run goes on.</summary>
internal sealed class MemorySampler : IAsyncDisposable
{
    private readonly IReadOnlyList<ServerProcess> servers;
    private readonly Dictionary<string, List<(double Seconds, double RssMb)>> samples;
    private readonly CancellationTokenSource stop = new();
    private readonly Task sampling;

    private MemorySampler(IReadOnlyList<ServerProcess> servers)
    {
        this.servers = servers;
        samples = servers.ToDictionary(s => s.Name, _ => new List<(double, double)>());
        sampling = SampleAsync();
    }

    public static MemorySampler Start(params IReadOnlyList<ServerProcess> servers) => new(servers);

    /// <summary>Stops sampling and returns, per server, its peak (VmHWM) and the mean RSS of the first and the last <paramref name="window"/>.</summary>
    public async Task<IReadOnlyList<MemoryFigures>> StopAsync(TimeSpan window)
    {
        await stop.CancelAsync();
        await sampling;
        return [.. servers.Select(server =>
        {
            var rss = samples[server.Name];
            var end = rss.Count == 0 ? 0 : rss[^1].Seconds;
            var first = rss.Where(s => s.Seconds <= window.TotalSeconds).Select(s => s.RssMb).DefaultIfEmpty(double.NaN).Average();
            var last = rss.Where(s => s.Seconds >= end - window.TotalSeconds).Select(s => s.RssMb).DefaultIfEmpty(double.NaN).Average();
            return new MemoryFigures(server.Name, server.Memory().PeakMb, first, last);
        })];
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await sampling;
        stop.Dispose();
    }

    private async Task SampleAsync()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            do
            {
                foreach (var server in servers)
                {
                    samples[server.Name].Add((clock.Elapsed.TotalSeconds, server.Memory().RssMb));
                }
            }
            while (await timer.WaitForNextTickAsync(stop.Token));
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }
}

/// <param name="PeakMb">The process's peak resident memory since it started (VmHWM), ingestion included.</param>
internal sealed record MemoryFigures(string Server, double PeakMb, double FirstMb, double LastMb)
{
    public double GrowthMb => LastMb - FirstMb;
}
