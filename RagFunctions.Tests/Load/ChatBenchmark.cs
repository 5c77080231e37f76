using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using RagFunctions.Tests.Fakes;

namespace RagFunctions.Tests.Load;

/// <summary>
/// Generative <c>/chat</c> against a Cohere double that answers after a fixed 300 ms: latency at 1, 8 and 64 clients and
/// our own overhead (each call's latency minus the time the double took for its upstream call), then the time to first
/// token of <c>/stream-chat</c>. Explicit: run it with <c>RagFunctions.Tests/Load/load.sh chat</c> (Release).
/// </summary>
[Collection(LoadRuns.Collection)]
public sealed partial class ChatBenchmark
{
    private const double OverheadP50TargetMs = 15;
    private const int StreamCalls = 30;
    private static readonly int[] Clients = [1, 8, 64];
    private static readonly TimeSpan PerLevel = TimeSpan.FromSeconds(15);

    [Fact(Explicit = true)]
    public async Task GenerativeChat_With300msCohere_LatencyOverheadAndTimeToFirstToken()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var cohere = await CohereDouble.StartAsync(cancel);
        cohere.Latency = LoadRuns.UpstreamLatency;
        cohere.RecordRequests = false;
        var upstreamMs = new ConcurrentDictionary<int, double>();
        cohere.Answered = (request, elapsed) =>
        {
            if (request.Path == CohereDouble.ChatPath && RagCalls.NumberIn(request.Body) is { } number)
            {
                upstreamMs[number] = elapsed.TotalMilliseconds;
            }
        };

        using var http = LoadGenerator.CreateClient();
        var calls = new RagCalls(http);
        await using var server = ServerProcess.Start("generative", LoadRuns.WithCohere(cohere));
        await server.WaitUntilReadyAsync(http, LoadRuns.ReadyTimeout, cancel);
        var embeddingMs = new ConcurrentQueue<double>();
        server.LineWritten = line =>
        {
            if (QueryEmbedding().Match(line) is { Success: true } match)
            {
                embeddingMs.Enqueue(double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
        };

        Report.Line();
        Report.Line($"generative /chat, Cohere double answering after {LoadRuns.UpstreamLatency.TotalMilliseconds:F0} ms (it waits before its first byte, then streams the answer at once)");
        Report.Line($"server: standalone host, Release, pid {server.Id}, local query embeddings; the load generator and the double run in the test process on the same {Environment.ProcessorCount} cores");
        Report.Line($"each question is a sample-book question with a counter appended, so the answer cache never answers; {PerLevel.TotalSeconds:F0} s per level");
        Report.MachineLoad("before the run");
        var chat = new Scenario("/chat", (number, ct) => calls.ChatAsync(server.BaseAddress, number, ct));
        await LoadGenerator.RunAsync(workers: 4, TimeSpan.FromSeconds(3), [chat], cancel); // warm-up: JIT, connections

        Report.Line();
        Report.Line($"  {"clients",7} {"requests",8} {"req/s",6} {"p50 ms",7} {"p99 ms",7} {"upstream p50",12} {"overhead p50",12} {"overhead p99",12} {"embedding p50",13} {"server CPU/req",14} {"failed",6}  answers");
        var failed = new List<Sample>();
        var overheadAtOneClient = double.NaN;
        foreach (var clients in Clients)
        {
            embeddingMs.Clear();
            var cpuBefore = server.CpuTime;
            var result = await LoadGenerator.RunAsync(clients, PerLevel, [chat], cancel);
            var cpuPerRequest = (server.CpuTime - cpuBefore).TotalMilliseconds / result.Samples.Count;
            failed.AddRange(result.Failed);
            var ok = result.Samples.Where(s => s.Outcome.Error is null).ToList();
            var latency = new LatencyStats(ok.Select(s => s.ElapsedMs));
            var matched = ok.Where(s => upstreamMs.ContainsKey(s.Sequence)).ToList();
            var upstream = new LatencyStats(matched.Select(s => upstreamMs[s.Sequence]));
            var overhead = new LatencyStats(matched.Select(s => s.ElapsedMs - upstreamMs[s.Sequence]));
            var embedding = new LatencyStats(embeddingMs);
            overheadAtOneClient = clients == 1 ? overhead.P50 : overheadAtOneClient;
            var answers = string.Join(", ", ok.GroupBy(s => s.Outcome.Label).Select(g => $"{g.Key} {g.Count()}"));
            Report.Line($"  {clients,7} {result.Samples.Count,8} {result.RequestsPerSecond,6:F1} {LatencyStats.Ms(latency.P50),7} {LatencyStats.Ms(latency.P99),7} "
                + $"{LatencyStats.Ms(upstream.P50),12} {LatencyStats.Ms(overhead.P50),12} {LatencyStats.Ms(overhead.P99),12} {LatencyStats.Ms(embedding.P50),13} {cpuPerRequest,11:F1} ms {result.Failed.Count,6}  {answers}");
        }

        Report.Line("  upstream = the double's time for the request's chat call (arrival to last byte written); overhead = client latency − upstream");
        Report.Line("  embedding = the query embedding (local ONNX model) as the server logs it; refusals come from the evidence gate and call no model");
        Report.Line($"  target overhead p50 ≤ {OverheadP50TargetMs:F0} ms (1 client): {LatencyStats.Ms(overheadAtOneClient)} ms — {Report.Verdict(overheadAtOneClient <= OverheadP50TargetMs)}");

        await calls.StreamChatAsync(server.BaseAddress, LoadGenerator.NextNumber(), cancel); // warm-up
        var firstTokens = new List<double>();
        for (var i = 0; i < StreamCalls; i++)
        {
            var outcome = await calls.StreamChatAsync(server.BaseAddress, LoadGenerator.NextNumber(), cancel);
            Assert.Null(outcome.Error);
            firstTokens.Add(outcome.FirstTokenMs!.Value);
        }

        var ttft = new LatencyStats(firstTokens);
        var upstreamFirstByte = LoadRuns.UpstreamLatency.TotalMilliseconds;
        Report.Line();
        Report.Line($"/stream-chat time to first token, 1 client, {StreamCalls} calls: p50 {LatencyStats.Ms(ttft.P50)} ms, p99 {LatencyStats.Ms(ttft.P99)} ms");
        Report.Line($"  of which {upstreamFirstByte:F0} ms is the double's wait before its first event: our part p50 {LatencyStats.Ms(ttft.P50 - upstreamFirstByte)} ms, p99 {LatencyStats.Ms(ttft.P99 - upstreamFirstByte)} ms");
        Report.ServerLogs([server]);
        Report.MachineLoad("after the run");

        Assert.True(failed.Count == 0, $"{failed.Count} failed requests: see the figures above");
    }

    [GeneratedRegex(@"Retrieved \d+ chunks \(embedding (\d+) ms")]
    private static partial Regex QueryEmbedding();
}
