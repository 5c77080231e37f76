using RagFunctions.Benchmarks;
using RagFunctions.Hosting;

namespace RagFunctions.Tests.Benchmarks;

/// <summary>The benchmark is a command, not a timed test: this only checks that it runs to the end (cold, then cache hits).</summary>
public sealed class TranslationBenchmarkTests
{
    [Fact]
    public async Task BenchTranslate_ShortChapterFastModel_CompletesWithWarmCacheHits()
    {
        var exit = await CommandLine.RunAsync(["translate", "--latency-ms", "5", "--words", "400"], AppServices.Add, BenchCommand.Verbs);

        Assert.Equal(0, exit);
    }
}
