using RagFunctions.Benchmarks.Sqlite;

namespace RagFunctions.Tests.Benchmarks;

public sealed class SqliteStoreBenchmarkTests
{
    [Fact]
    public async Task RunAsync_OneSmallSize_PrintsWriteRateAndLatencyPerMode()
    {
        using var output = new StringWriter();

        var exitCode = await SqliteStoreBenchmark.RunAsync(output, [1000], queries: 5, warmUp: TimeSpan.Zero, TestContext.Current.CancellationToken);

        var text = output.ToString();
        Assert.Equal(0, exitCode);
        Assert.StartsWith("SQLite store benchmark: 384-d", text, StringComparison.Ordinal);
        Assert.Matches(@"size 1000: write \d+ chunks/s \(1000 chunks, 100 page transactions and the final compaction", text);
        Assert.Matches(@"size 1000: first dense search \(loads the vectors\) [\d.]+ ms", text);
        foreach (var mode in new[] { "dense", "keyword", "hybrid" })
        {
            Assert.Matches($@"size 1000: {mode} +p50 [\d.]+ ms  p99 [\d.]+ ms  \(8\.0 hits per query\)", text);
        }
    }
}
