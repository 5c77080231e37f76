using RagFunctions.Tests.Fakes;

namespace RagFunctions.Tests.Load;

/// <summary>
/// A mixed workload at 64 concurrent clients for 60 s against two standalone hosts that each ingested the sample book at
/// start: one without a language model (extractive answers) and one with Cohere at a double answering after 300 ms
/// (generative chat, stream-chat, cached translation). Prints requests/s, p50/p99 per endpoint, failures, memory, and
/// <c>/health</c> against a bare Kestrel endpoint. Explicit: run it with <c>RagFunctions.Tests/Load/load.sh mixed</c> (Release).
/// </summary>
[Collection(LoadRuns.Collection)]
public sealed class MixedLoad
{
    private const int Clients = 64;
    private const double GenerativeP99TargetMs = 600;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan MemoryWindow = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan HealthDuration = TimeSpan.FromSeconds(10);

    [Fact(Explicit = true)]
    public async Task MixedWorkload_64Clients60s_NoFailedRequests()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var cohere = await CohereDouble.StartAsync(cancel);
        cohere.Latency = LoadRuns.UpstreamLatency;
        cohere.RecordRequests = false;
        cohere.Respond = new FakeTranslator().Respond;

        using var http = LoadGenerator.CreateClient();
        var calls = new RagCalls(http);
        await using var extractive = ServerProcess.Start("extractive", LoadRuns.Extractive());
        await using var generative = ServerProcess.Start("generative", LoadRuns.WithCohere(cohere));
        await Task.WhenAll(
            extractive.WaitUntilReadyAsync(http, LoadRuns.ReadyTimeout, cancel),
            generative.WaitUntilReadyAsync(http, LoadRuns.ReadyTimeout, cancel));

        Scenario[] mix =
        [
            new("health", (_, ct) => calls.HealthAsync(generative.BaseAddress, ct)),
            new("extractive chat", (number, ct) => calls.ChatAsync(extractive.BaseAddress, number, ct)),
            new("generative chat", (number, ct) => calls.ChatAsync(generative.BaseAddress, number, ct)),
            new("stream-chat", (number, ct) => calls.StreamChatAsync(generative.BaseAddress, number, ct)),
            new("translate (cached)", (_, ct) => calls.TranslateAsync(generative.BaseAddress, ct)),
        ];

        // The page is translated once (cold), so every call of the run finds it in the cache; then a short warm-up.
        var cold = await calls.TranslateAsync(generative.BaseAddress, cancel);
        Assert.Null(cold.Error);
        await LoadGenerator.RunAsync(workers: 8, TimeSpan.FromSeconds(3), mix, cancel);

        Report.Line();
        Report.Line($"mixed workload: {Clients} concurrent clients for {Duration.TotalSeconds:F0} s, each cycling through: {string.Join(" → ", mix.Select(m => m.Endpoint))}");
        Report.Line($"servers (standalone host, Release, each ingested the sample book at start with local embeddings):");
        Report.Line($"  extractive: pid {extractive.Id}, no language model (extractive chat)");
        Report.Line($"  generative: pid {generative.Id}, Cohere double answering after {LoadRuns.UpstreamLatency.TotalMilliseconds:F0} ms (health, generative chat, stream-chat, translate)");
        Report.Line($"both servers, the load generator and the Cohere double share this machine's {Environment.ProcessorCount} cores");
        Report.Line($"questions are distinct (a counter appended) so no answer comes from the answer cache; translate asks for the same page ({RagCalls.SamplePageUrl}) every time");

        Report.MachineLoad("before the run");
        LoadResult result;
        IReadOnlyList<MemoryFigures> memory;
        var testProcess = System.Diagnostics.Process.GetCurrentProcess();
        var cpuBefore = (Extractive: extractive.CpuTime, Generative: generative.CpuTime, Test: testProcess.TotalProcessorTime);
        await using (var sampler = MemorySampler.Start(extractive, generative))
        {
            result = await LoadGenerator.RunAsync(Clients, Duration, mix, cancel);
            memory = await sampler.StopAsync(MemoryWindow);
        }

        testProcess.Refresh();
        var cpu = (Extractive: extractive.CpuTime - cpuBefore.Extractive, Generative: generative.CpuTime - cpuBefore.Generative, Test: testProcess.TotalProcessorTime - cpuBefore.Test);

        Report.Line();
        Report.Line($"  run took {result.Elapsed.TotalSeconds:F1} s (calls in flight at {Duration.TotalSeconds:F0} s were finished)");
        Report.Endpoints(result, mix.Select(m => m.Endpoint));

        Report.Line();
        Report.Line($"  {"memory (MB)",-12} {"peak RSS",9} {$"RSS first {MemoryWindow.TotalSeconds:F0} s",15} {$"RSS last {MemoryWindow.TotalSeconds:F0} s",15} {"change",8}");
        foreach (var server in memory)
        {
            Report.Line($"  {server.Server,-12} {server.PeakMb,9:F0} {server.FirstMb,15:F0} {server.LastMb,15:F0} {server.GrowthMb,8:+0;-0;0}");
        }

        Report.Line("  (peak RSS is VmHWM since the process started, start-up ingestion included)");
        Report.Line($"  CPU used during the run: extractive {cpu.Extractive.TotalSeconds:F0} s, generative {cpu.Generative.TotalSeconds:F0} s, "
            + $"test process (load generator, Cohere double) {cpu.Test.TotalSeconds:F0} s, of {Environment.ProcessorCount * result.Elapsed.TotalSeconds:F0} core-seconds");
        Report.ServerLogs([extractive, generative]);

        await using var bare = await BareKestrel.StartAsync(cancel);
        var bareHealth = await LoadGenerator.RunAsync(Clients, HealthDuration, [new("health", (_, ct) => calls.HealthAsync(bare.BaseAddress, ct))], cancel);
        var ourHealth = await LoadGenerator.RunAsync(Clients, HealthDuration, [new("health", (_, ct) => calls.HealthAsync(generative.BaseAddress, ct))], cancel);
        var ratio = ourHealth.RequestsPerSecond / bareHealth.RequestsPerSecond;
        Report.Line();
        Report.Line($"/health alone, {Clients} clients, {HealthDuration.TotalSeconds:F0} s each, back to back (the bare endpoint runs in the test process):");
        Report.Line($"  bare Kestrel {Report.Number(bareHealth.RequestsPerSecond)} req/s (p99 {LatencyStats.Ms(new LatencyStats(bareHealth.Samples.Select(s => s.ElapsedMs)).P99)} ms), "
            + $"RagFunctions {Report.Number(ourHealth.RequestsPerSecond)} req/s (p99 {LatencyStats.Ms(new LatencyStats(ourHealth.Samples.Select(s => s.ElapsedMs)).P99)} ms); ratio {ratio:F2}; failed {bareHealth.Failed.Count} / {ourHealth.Failed.Count}");

        var generativeP99 = new LatencyStats(result.For("generative chat").Select(s => s.ElapsedMs)).P99;
        var growth = memory.Max(m => m.GrowthMb / m.FirstMb);
        var failed = result.Failed.Count + bareHealth.Failed.Count + ourHealth.Failed.Count;
        Report.MachineLoad("after the run");
        Report.Line();
        Report.Line("targets:");
        Report.Line($"  no 5xx and no failed requests: {failed} failed — {Report.Verdict(failed == 0)}");
        Report.Line($"  generative chat p99 ≤ {GenerativeP99TargetMs:F0} ms: {LatencyStats.Ms(generativeP99)} ms — {Report.Verdict(generativeP99 <= GenerativeP99TargetMs)}");
        Report.Line($"  memory flat (last {MemoryWindow.TotalSeconds:F0} s within 10 % of the first): largest change {growth:+0.0 %;-0.0 %} — {Report.Verdict(growth <= 0.10)}");
        Report.Line($"  /health ≥ half of bare Kestrel: {ratio:F2} — {Report.Verdict(ratio >= 0.5)}");

        Assert.True(failed == 0, $"{failed} failed requests: see the figures above");
    }
}
