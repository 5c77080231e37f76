using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RagFunctions.Retrieval;
using RagFunctions.Retrieval.VectorStore;
using RagFunctions.Retrieval.VectorStore.Sqlite;

namespace RagFunctions.Benchmarks.Sqlite;

/// <summary>
/// <c>bench store</c>: builds throw-away SQLite indexes of synthetic chunks (384-d random unit vectors, text drawn from
/// a fixed vocabulary, fixed seed) in a temp folder and prints write throughput and search latency per mode.
/// Query embedding time is not included: the query vectors are made up front.
/// </summary>
internal static class SqliteStoreBenchmark
{
    public const int Dimensions = 384;
    public const int DefaultQueries = 200;
    public const int Limit = 8;

    private const int WarmUpRounds = 20;
    private const int ChunksPerPage = 10;
    private const int WordsPerChunk = 120;
    private const int Seed = 384_2026;

    private static readonly string[] BookWords =
    [
        "robot", "humanoid", "actuator", "servo", "gripper", "torque", "kinematics", "inverse", "forward", "joint", "link",
        "sensor", "lidar", "camera", "depth", "imu", "odometry", "localization", "mapping", "slam", "planner", "trajectory",
        "controller", "feedback", "pid", "balance", "gait", "locomotion", "manipulator", "end", "effector", "quaternion",
        "rotation", "frame", "transform", "ros", "node", "topic", "message", "service", "simulation", "gazebo", "isaac",
        "physics", "collision", "friction", "policy", "reinforcement", "learning", "reward", "vision", "language", "action",
        "grasp", "pose", "estimation", "calibration", "battery", "motor", "encoder",
    ];

    /// <summary>Long enough for the JIT to finish optimizing the search path (about 3 s on 2 busy cores).</summary>
    public static readonly TimeSpan DefaultWarmUp = TimeSpan.FromSeconds(3);

    public static Task<int> RunAsync(TextWriter output, int[] sizes, CancellationToken cancellationToken)
        => RunAsync(output, sizes, DefaultQueries, DefaultWarmUp, cancellationToken);

    /// <param name="queries">Timed queries per mode and size.</param>
    /// <param name="warmUp">Minimum untimed searching per size (at least <see cref="WarmUpRounds"/> rounds of every mode).</param>
    public static async Task<int> RunAsync(TextWriter output, int[] sizes, int queries, TimeSpan warmUp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentOutOfRangeException.ThrowIfLessThan(queries, 1);
        var vocabulary = Vocabulary();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, 
            $"SQLite store benchmark: {Dimensions}-d random unit vectors, {WordsPerChunk} words per chunk, {ChunksPerPage} chunks per page, " +
            $"limit {Limit}, {queries} queries per mode after a warm-up of {WarmUpRounds}+ rounds and {warmUp.TotalSeconds:0.#}+ s, " +
            $"{Environment.ProcessorCount} cores"));

        foreach (var size in sizes)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
            var directory = Path.Combine(Path.GetTempPath(), "ragfunctions-bench", Guid.NewGuid().ToString("N"));
            try
            {
                await RunSizeAsync(output, size, queries, warmUp, directory, vocabulary, cancellationToken);
            }
            finally
            {
                TryDelete(directory);
            }
        }

        return 0;
    }

    private static async Task RunSizeAsync(
        TextWriter output, int size, int queries, TimeSpan warmUp, string directory, string[] vocabulary, CancellationToken cancellationToken)
    {
        var random = new Random(Seed);
        var options = new SqliteStoreOptions { DataDir = directory };
        using var store = new SqliteVectorStore(Options.Create(options), NullLogger<SqliteVectorStore>.Instance);
        var embedding = new EmbeddingModelInfo("benchmark-random", Dimensions);
        await store.EnsureReadyAsync(embedding, cancellationToken);

        var written = Stopwatch.StartNew();
        var pages = 0;
        for (var first = 0; first < size; first += ChunksPerPage)
        {
            var page = $"https://example.github.io/Book/docs/page-{pages++:D6}";
            var chunks = Enumerable.Range(first, Math.Min(ChunksPerPage, size - first))
                .Select(i => new IndexedChunk(SyntheticChunk(random, vocabulary, page, i, i - first), RandomUnit(random)))
                .ToArray();
            await store.WritePageAsync(new PageWrite(page, chunks, chunks.Select(c => c.Chunk.Id).ToArray()), cancellationToken);
        }

        await store.MarkBuiltAsync(DateTimeOffset.UtcNow, cancellationToken);
        written.Stop();
        var bytes = new FileInfo(options.DatabasePath).Length + SizeOf(options.DatabasePath + "-wal");
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, 
            $"size {size}: write {size / written.Elapsed.TotalSeconds:0} chunks/s ({size} chunks, {pages} page transactions and the final compaction, " +
            $"{written.Elapsed.TotalSeconds:0.00} s, {bytes / 1048576.0:0.0} MiB on disk)"));

        var requests = Enumerable.Range(0, WarmUpRounds + queries)
            .Select(_ => (Vector: RandomUnit(random), Text: Question(random, vocabulary)))
            .ToArray();
        var load = Stopwatch.StartNew();
        await store.SearchAsync(new SearchRequest(requests[0].Vector, requests[0].Text, Limit, SearchMode.Dense), cancellationToken);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"size {size}: first dense search (loads the vectors) {load.Elapsed.TotalMilliseconds:0.0} ms"));

        SearchMode[] modes = [SearchMode.Dense, SearchMode.Keyword, SearchMode.Hybrid];
        // Warm every mode before timing any, so the JIT has finished optimizing the shared code paths.
        var warming = Stopwatch.StartNew();
        for (var round = 0; round < WarmUpRounds || warming.Elapsed < warmUp; round++)
        {
            var (vector, text) = requests[round % WarmUpRounds];
            foreach (var mode in modes)
            {
                await store.SearchAsync(new SearchRequest(vector, text, Limit, mode), cancellationToken);
            }
        }

        foreach (var mode in modes)
        {
            var latencies = new double[queries];
            var hits = 0L;
            for (var i = 0; i < queries; i++)
            {
                var (vector, text) = requests[WarmUpRounds + i];
                var started = Stopwatch.GetTimestamp();
                var result = await store.SearchAsync(new SearchRequest(vector, text, Limit, mode), cancellationToken);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                hits += result.Count;
            }

            Array.Sort(latencies);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, 
                $"size {size}: {mode.ToString().ToLowerInvariant(),-7} p50 {Percentile(latencies, 0.50):0.00} ms  " +
                $"p99 {Percentile(latencies, 0.99):0.00} ms  ({hits / (double)queries:0.0} hits per query)"));
        }
    }

    private static BookChunk SyntheticChunk(Random random, string[] vocabulary, string page, int index, int position)
    {
        var words = new string[WordsPerChunk];
        for (var w = 0; w < words.Length; w++)
        {
            // Skewed towards the front of the vocabulary, as real text is: a few common words, a long tail of rare ones.
            words[w] = vocabulary[(int)(vocabulary.Length * Math.Pow(random.NextDouble(), 3))];
        }

        var text = string.Join(' ', words) + ".";
        var heading = $"{words[0]} {words[1]}";
        return new BookChunk(
            Id: $"chunk-{index:D7}",
            PageUrl: page,
            Url: $"{page}#{words[0]}-{words[1]}",
            PageTitle: $"Page {page[^6..]}",
            Heading: heading,
            Anchor: $"{words[0]}-{words[1]}",
            TitlePath: [$"Page {page[^6..]}", heading],
            Position: position,
            Text: text,
            Markdown: $"## {heading}\n\n{text}",
            ContentHash: $"{index:x8}");
    }

    private static string Question(Random random, string[] vocabulary)
        => "what is the " + string.Join(' ', Enumerable.Range(0, 4).Select(_ => vocabulary[random.Next(vocabulary.Length)])) + "?";

    /// <summary>The book's own words first (the common ones), then made-up words from syllables (the long tail).</summary>
    private static string[] Vocabulary()
    {
        string[] syllables = ["ka", "lo", "mi", "ner", "tas", "vu", "dri", "pel", "xo", "ran", "sti", "qua", "bem", "zor", "fi", "gau"];
        var random = new Random(Seed);
        var words = new HashSet<string>(BookWords, StringComparer.Ordinal);
        while (words.Count < 5_000)
        {
            words.Add(string.Concat(Enumerable.Range(0, random.Next(2, 5)).Select(_ => syllables[random.Next(syllables.Length)])));
        }

        return [.. BookWords, .. words.Except(BookWords, StringComparer.Ordinal)];
    }

    private static float[] RandomUnit(Random random)
    {
        var vector = new float[Dimensions];
        var sum = 0.0;
        for (var i = 0; i < vector.Length; i++)
        {
            // Box–Muller: Gaussian components give directions uniform on the sphere.
            var value = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            vector[i] = (float)value;
            sum += value * value;
        }

        var norm = (float)Math.Sqrt(sum);
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] /= norm;
        }

        return vector;
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    private static double Percentile(double[] sorted, double fraction)
        => sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static long SizeOf(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Temp space; the OS cleans it eventually.
        }
    }
}
