using System.CommandLine;
using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RagFunctions.Benchmarks.Sqlite;
using RagFunctions.Benchmarks.Translation;
using RagFunctions.Hosting;
using RagFunctions.Ingestion;
using RagFunctions.Retrieval.Embeddings;

namespace RagFunctions.Benchmarks;

/// <summary>
/// The benchmarks, one verb each (<c>store</c>, <c>ingest</c>, <c>chat</c>, <c>translate</c>, <c>start</c>): each measures and
/// prints. Figures belong in the README, not in timed tests. Run in Release:
/// <c>dotnet run -c Release --project tools/RagFunctions.Benchmarks -- store</c>.
/// </summary>
internal static class BenchCommand
{
    public static readonly IReadOnlyList<CommandLine.Verb> Verbs =
        [Store, Ingest, Chat, TranslationBenchmark.Create, StartBenchmark.Create, StartBenchmark.Serve];

    /// <summary>This exe: the benchmarks, or (hidden <c>serve</c>) the app's standalone host for <c>start</c> to measure.</summary>
    public static Task<int> Main(string[] args)
        => CommandLine.RunAsync(args, AppServices.Add, Verbs, "RagFunctions benchmarks: each command measures and prints.");

    private static Command Store(Func<IServiceProvider> services)
    {
        var sizes = new Option<int[]>("--sizes") { Description = "Index sizes in chunks.", DefaultValueFactory = _ => [1_000, 10_000, 100_000], AllowMultipleArgumentsPerToken = true };
        var store = new Command("store", "Embedded store: write throughput and search latency (dense, keyword, hybrid) at several sizes.") { sizes };
        store.SetAction((parsed, ct) => SqliteStoreBenchmark.RunAsync(Console.Out, parsed.GetValue(sizes)!, ct));
        return store;
    }

    private static Command Ingest(Func<IServiceProvider> services)
    {
        var folder = new Argument<string?>("docs-folder") { Arity = ArgumentArity.ZeroOrOne, Description = "Default: the bundled sample book." };
        var ingest = new Command("ingest", "Ingest a book with the configured embeddings into a fresh index, then again unchanged.") { folder };
        ingest.SetAction((parsed, ct) => IngestAsync(services(), parsed.GetValue(folder), ct));
        return ingest;
    }

    private static Command Chat(Func<IServiceProvider> services)
    {
        var clients = new Option<int[]>("--clients") { DefaultValueFactory = _ => [1, 8, 64], AllowMultipleArgumentsPerToken = true };
        var seconds = new Option<int>("--seconds") { DefaultValueFactory = _ => 10 };
        var chat = new Command("chat", "The standalone host over the sample book: /chat latency and throughput at several concurrencies, time to first /stream-chat token.") { clients, seconds };
        chat.SetAction((parsed, ct) => ChatAsync(parsed.GetValue(clients)!, parsed.GetValue(seconds), ct));
        return chat;
    }

    private static async Task<int> IngestAsync(IServiceProvider services, string? folder, CancellationToken cancellationToken)
    {
        var source = services.GetRequiredService<BookSource>();
        var ingestion = services.GetRequiredService<IngestionService>();
        var docs = folder ?? Path.Combine(AppContext.BaseDirectory, "SampleBook", "docs");
        var pages = await source.ReadFolderAsync(docs, cancellationToken);

        var embeddings = services.GetRequiredService<Microsoft.Extensions.AI.IEmbeddingGenerator<string, Microsoft.Extensions.AI.Embedding<float>>>();
        var watch = Stopwatch.StartNew();
        var query = await embeddings.EmbedQueryAsync("warm-up", cancellationToken);
        Console.WriteLine($"model load + first query: {watch.ElapsedMilliseconds} ms ({query.Length}-d)");
        watch.Restart();
        const int queries = 50;
        for (var i = 0; i < queries; i++)
        {
            await embeddings.EmbedQueryAsync($"How do I configure QoS durability for topic {i}?", cancellationToken);
        }

        Console.WriteLine($"query embedding: {watch.Elapsed.TotalMilliseconds / queries:F1} ms each");

        var first = await ingestion.IngestAsync(pages, complete: true, null, cancellationToken);
        Console.WriteLine($"ingest: {first}");
        Console.WriteLine($"ingest throughput: {first.ChunksEmbedded / first.Seconds:F1} chunks/s ({first.ChunksEmbedded} chunks embedded and written)");
        var again = await ingestion.IngestAsync(pages, complete: true, null, cancellationToken);
        Console.WriteLine($"re-ingest unchanged: {again.Seconds:F2} s, {again.ChunksEmbedded} chunks embedded");
        return 0;
    }

    private static async Task<int> ChatAsync(int[] clients, int seconds, CancellationToken cancellationToken)
    {
        var data = Path.Combine(Path.GetTempPath(), "ragfunctions-bench-" + Guid.NewGuid().ToString("N"));
        // One client address drives thousands of requests: the per-client rate limit would measure itself.
        var settings = new Dictionary<string, string?> { ["urls"] = "http://127.0.0.1:0", [EnvironmentVariables.DataDir] = data, [EnvironmentVariables.RateLimitPerMinute] = "0" };
        await using var app = StandaloneHost.Build([], AppServices.Add, settings, logging => logging.ClearProviders());
        await app.StartAsync(cancellationToken);
        await app.Services.GetRequiredService<StartupIngestion>().Completion;
        var address = app.Urls.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };

        string[] questions =
        [
            "How do I list the topics of a running ROS 2 system?", "What is a URDF joint?", "How does AMCL localise the robot?",
            "What is the zero moment point?", "What does domain randomization do?", "How does MoveIt plan a motion?",
        ];
        Console.WriteLine($"extractive /chat over the sample book ({Environment.ProcessorCount} cores), {seconds} s per level");
        foreach (var level in clients)
        {
            var latencies = new List<double>();
            var errors = 0;
            var stop = Stopwatch.StartNew();
            var workers = Enumerable.Range(0, level).Select(async worker =>
            {
                var local = new List<double>();
                for (var i = worker; stop.Elapsed.TotalSeconds < seconds; i++)
                {
                    // A different question each time: the answer cache must not flatter the figures.
                    var body = new { question = $"{questions[i % questions.Length]} ({i})" };
                    var start = Stopwatch.GetTimestamp();
                    using var response = await http.PostAsJsonAsync("/chat", body, cancellationToken);
                    await response.Content.ReadAsByteArrayAsync(cancellationToken);
                    local.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    if (!response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }

                lock (latencies)
                {
                    latencies.AddRange(local);
                }
            }).ToArray();
            await Task.WhenAll(workers);
            latencies.Sort();
            Console.WriteLine($"  {level,3} clients: p50 {Percentile(latencies, 0.50),6:F1} ms  p99 {Percentile(latencies, 0.99),6:F1} ms  {latencies.Count / stop.Elapsed.TotalSeconds,7:F1} req/s  errors {errors}");
        }

        var firstTokens = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/stream-chat") { Content = JsonContent.Create(new { question = $"{questions[i % questions.Length]} [{i}]" }) };
            var start = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
            await reader.ReadLineAsync(cancellationToken);
            firstTokens.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            await reader.ReadToEndAsync(cancellationToken);
        }

        firstTokens.Sort();
        Console.WriteLine($"extractive /stream-chat time to first token: p50 {Percentile(firstTokens, 0.5):F1} ms  p99 {Percentile(firstTokens, 0.99):F1} ms");
        await app.StopAsync(cancellationToken);
        return 0;
    }

    private static double Percentile(List<double> sorted, double p)
        => sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
