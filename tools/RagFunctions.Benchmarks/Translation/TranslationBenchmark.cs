using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RagFunctions.Ingestion;
using RagFunctions.LanguageModels;
using RagFunctions.Retrieval;
using RagFunctions.Retrieval.VectorStore;
using RagFunctions.Retrieval.VectorStore.Sqlite;
using RagFunctions.Translation;
using Spectre.Console;

namespace RagFunctions.Benchmarks.Translation;

/// <summary>
/// <c>bench translate</c>: a generated chapter (3,000 words, code blocks, links, glossary terms) indexed in a throw-away
/// SQLite store, translated by a stand-in model that answers after a fixed latency (1.5 s per call by default).
/// Prints the cold time (every section sent to the model) and the warm times (the same page again: cache hits),
/// measured through the same service the endpoint calls (catalog, store, caches, placeholders, plain text).
/// </summary>
internal static partial class TranslationBenchmark
{
    private const string PageUrl = "http://localhost:3000/docs/bench/chapter";

    public static Command Create(Func<IServiceProvider> services)
    {
        var latency = new Option<int>("--latency-ms") { Description = "The stand-in model's answer time per call.", DefaultValueFactory = _ => 1500 };
        var words = new Option<int>("--words") { Description = "Words of prose in the generated chapter.", DefaultValueFactory = _ => 3000 };
        var parallel = new Option<int>("--parallel")
        {
            Description = "Sections sent at once (TRANSLATION_MAX_PARALLEL).",
            DefaultValueFactory = _ => TranslationOptions.DefaultMaxParallel,
        };
        var translate = new Command("translate", "Cold and warm time of translating one chapter, against a stand-in model with a fixed latency.")
        {
            latency, words, parallel,
        };
        translate.SetAction((parsed, cancellationToken) => RunAsync(
            TimeSpan.FromMilliseconds(parsed.GetValue(latency)), parsed.GetValue(words), parsed.GetValue(parallel), cancellationToken));
        return translate;
    }

    private static async Task<int> RunAsync(TimeSpan latency, int words, int parallel, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(Path.GetTempPath(), "ragfunctions-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var model = new StandInTranslator(latency);
        await using (var provider = Build(folder, model, parallel))
        {
            var store = provider.GetRequiredService<IVectorStore>();
            var chapter = Chapter(words);
            await IndexAsync(store, chapter, cancellationToken);
            var translation = provider.GetRequiredService<TranslationService>();

            var cold = Stopwatch.StartNew();
            TranslateResponse response;
            try
            {
                response = (await translation.TranslatePageAsync(PageUrl, TargetLanguage.Urdu, cancellationToken)).Response;
            }
            catch (TranslationFailureException failure)
            {
                AnsiConsole.MarkupLine($"[red]{Markup.Escape(failure.Detail)}[/]");
                return 1;
            }

            cold.Stop();

            var warm = new List<double>();
            for (var i = 0; i < 50; i++)
            {
                var watch = Stopwatch.StartNew();
                var again = await translation.TranslatePageAsync(PageUrl + "/#section-3", TargetLanguage.Urdu, cancellationToken);
                watch.Stop();
                if (again.Response is not { Cached: true })
                {
                    AnsiConsole.MarkupLine("[red]The warm request was not served from the cache.[/]");
                    return 1;
                }

                warm.Add(watch.Elapsed.TotalMilliseconds);
            }

            warm.Sort();
            var table = new Table().AddColumns("measure", "value", "target");
            table.AddRow("prose words", Words(chapter).ToString(CultureInfo.InvariantCulture), "3000");
            table.AddRow("sections", response.Sections.ToString(CultureInfo.InvariantCulture), "");
            table.AddRow("model calls (cold)", model.Calls.ToString(CultureInfo.InvariantCulture), "");
            table.AddRow("latency per call", $"{latency.TotalMilliseconds:F0} ms", "");
            table.AddRow("parallel sections", parallel.ToString(CultureInfo.InvariantCulture), "");
            table.AddRow("cold", $"{cold.Elapsed.TotalMilliseconds:F0} ms", "≤ 10000 ms");
            table.AddRow("warm median", $"{warm[warm.Count / 2]:F2} ms", "≤ 50 ms");
            table.AddRow("warm p95", $"{warm[(int)(warm.Count * 0.95)]:F2} ms", "");
            table.AddRow("warm max", $"{warm[^1]:F2} ms", "");
            AnsiConsole.Write(table);
        }

        Directory.Delete(folder, recursive: true);
        return 0;
    }

    private static ServiceProvider Build(string folder, IChatClient model, int parallel)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(Options.Create(new SqliteStoreOptions { DataDir = folder }));
        services.AddSingleton(Options.Create(new BookOptions()));
        services.AddSingleton(new BookSite(new BookOptions().SiteUrl));
        services.AddSingleton(Options.Create(new TranslationOptions { MaxParallel = parallel }));
        services.AddSingleton<IVectorStore, SqliteVectorStore>();
        services.AddSingleton<ITranslationCache, SqliteTranslationCache>();
        services.AddSingleton<BookCatalog>();
        services.AddHybridCache();
        services.AddSingleton(new LanguageModelInfo(LanguageModelInfo.Cohere, "bench", "bench-stand-in", "local", "bench", 4));
        services.AddSingleton(model);
        services.AddSingleton<TranslationService>();
        return services.BuildServiceProvider();
    }

    private static async Task IndexAsync(IVectorStore store, IReadOnlyList<string> sections, CancellationToken cancellationToken)
    {
        await store.EnsureReadyAsync(new EmbeddingModelInfo("bench", 4), cancellationToken);
        var chunks = sections.Select((markdown, i) => new IndexedChunk(
            new BookChunk($"bench-{i}", PageUrl, PageUrl + $"#section-{i}", "Bench chapter", $"Section {i}", $"section-{i}", ["Bench chapter"],
                i, markdown, markdown, $"hash-{i}"),
            new float[] { 1, 0, 0, 0 })).ToList();
        await store.WritePageAsync(new PageWrite(PageUrl, chunks, [.. chunks.Select(c => c.Chunk.Id)]), cancellationToken);
    }

    /// <summary>Sections of about 300 words: headings, prose with terms, inline code and links, and a code block in every other one.</summary>
    private static List<string> Chapter(int words)
    {
        string[] vocabulary =
        [
            "the", "robot", "reads", "its", "sensors", "and", "plans", "a", "path", "through", "the", "room", "while", "ROS 2", "nodes",
            "exchange", "messages", "over", "topics", "with", "LiDAR", "scans", "feeding", "SLAM", "in", "Gazebo", "or", "Isaac Sim",
            "so", "that", "each", "joint", "described", "by", "URDF", "moves", "safely", "towards", "goal",
        ];
        var sections = new List<string>();
        var written = 0;
        var random = new Random(42);
        for (var s = 0; written < words; s++)
        {
            var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"## Section {s}: moving the robot\n\n");
            for (var p = 0; p < 3 && written < words; p++)
            {
                var sentence = new List<string>();
                for (var w = 0; w < 100 && written < words; w++, written++)
                {
                    sentence.Add(vocabulary[random.Next(vocabulary.Length)]);
                }

                text.Append(string.Join(' ', sentence)).Append(". See `ros2 topic list` and [the guide](https://docs.ros.org/en/jazzy/).\n\n");
            }

            if (s % 2 == 0)
            {
                text.Append("```python\nimport rclpy\nrclpy.init()\nnode = rclpy.create_node('walker')\nrclpy.spin(node)\n```\n");
            }

            sections.Add(text.ToString().TrimEnd());
        }

        return sections;
    }

    private static int Words(IEnumerable<string> sections)
        => sections.Sum(s => Word().Matches(CodeBlock().Replace(s, "")).Count(m => !m.Value.StartsWith('#')));

    [GeneratedRegex(@"```[\s\S]*?```")]
    private static partial Regex CodeBlock();

    [GeneratedRegex(@"[A-Za-z][\w'-]*")]
    private static partial Regex Word();

    [GeneratedRegex(@"[A-Za-z]+")]
    private static partial Regex AsciiWord();

    /// <summary>A stand-in model: answers after a fixed latency with every ASCII word replaced, placeholders kept.</summary>
    private sealed class StandInTranslator(TimeSpan latency) : IChatClient
    {
        private int calls;

        public int Calls => calls;

        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref calls);
            await Task.Delay(latency, cancellationToken);
            var text = messages.Last(m => m.Role == ChatRole.User).Text;
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, AsciiWord().Replace(text, "اردو")));
        }

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
            IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var response = await GetResponseAsync(messages, options, cancellationToken);
            yield return new ChatResponseUpdate(ChatRole.Assistant, response.Text);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
