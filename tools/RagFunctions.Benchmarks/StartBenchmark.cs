using System.CommandLine;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using RagFunctions.Hosting;

namespace RagFunctions.Benchmarks;

/// <summary>
/// <c>start</c>: a restart on an indexed book, as the first reader after it meets it. The app runs in a process of its
/// own (this exe's hidden <c>serve</c> verb: the same standalone host as <c>dotnet run</c>, local embeddings, SQLite);
/// a first start indexes the sample book and is stopped. Then, for each run, a fresh process starts on that index:
/// the time to <c>/health?ready=1</c> 200, the first <c>/chat</c> question right after, then warm questions (each a
/// different question: the answer cache must not flatter them).
/// </summary>
internal static class StartBenchmark
{
    private static readonly string[] Questions =
    [
        "How do I list the topics of a running ROS 2 system?", "What is a URDF joint?", "How does AMCL localise the robot?",
        "What is the zero moment point?", "What does domain randomization do?", "How does MoveIt plan a motion?",
        "What is a ROS 2 service?", "How does a depth camera measure distance?",
    ];

    public static Command Create(Func<IServiceProvider> services)
    {
        var runs = new Option<int>("--runs") { Description = "Fresh starts to time.", DefaultValueFactory = _ => 3 };
        var warm = new Option<int>("--warm") { Description = "Warm questions after the first one.", DefaultValueFactory = _ => 5 };
        var start = new Command("start", "A restart on the indexed sample book: time to ready, the first /chat question after ready, then warm questions.") { runs, warm };
        start.SetAction((parsed, ct) => RunAsync(Console.Out, parsed.GetValue(runs), Math.Clamp(parsed.GetValue(warm), 1, Questions.Length - 1), ct));
        return start;
    }

    /// <summary>The app's own standalone host, for <c>start</c> to start as a fresh process.</summary>
    public static Command Serve(Func<IServiceProvider> services)
    {
        var serve = new Command("serve", "Serve the app (the standalone host, as dotnet run does).") { Hidden = true };
        serve.SetAction(async _ =>
        {
            await using var app = StandaloneHost.Build([], AppServices.Add);
            await app.RunAsync();
            return 0;
        });
        return serve;
    }

    public static async Task<int> RunAsync(TextWriter output, int runs, int warm, CancellationToken cancellationToken)
    {
        var data = Path.Combine(Path.GetTempPath(), "ragfunctions-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            await output.WriteLineAsync($"restart on the indexed sample book (local embeddings, SQLite, {Environment.ProcessorCount} cores), {runs} runs");
            await using (var first = await Server.StartAsync(data, cancellationToken))
            {
                var indexed = await first.WaitUntilReadyAsync(cancellationToken);
                await output.WriteLineAsync($"  first start (indexes the book): ready in {indexed.TotalSeconds:F1} s");
            }

            for (var run = 1; run <= runs; run++)
            {
                await using var server = await Server.StartAsync(data, cancellationToken);
                var ready = await server.WaitUntilReadyAsync(cancellationToken);
                var firstQuestion = await server.AskAsync(Questions[0], cancellationToken);
                var warmQuestions = new List<double>();
                for (var i = 1; i <= warm; i++)
                {
                    warmQuestions.Add(await server.AskAsync(Questions[i], cancellationToken));
                }

                warmQuestions.Sort();
                var median = warmQuestions[warmQuestions.Count / 2];
                await output.WriteLineAsync(
                    $"  run {run}: ready in {ready.TotalMilliseconds:F0} ms; first /chat {firstQuestion:F1} ms; " +
                    $"warm /chat median {median:F1} ms ({warmQuestions[0]:F1}–{warmQuestions[^1]:F1} ms, {warm} questions); first / warm median {firstQuestion / median:F1}×");
            }

            return 0;
        }
        finally
        {
            TryDelete(data);
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The app in a process of its own, on a free loopback port, its output read and dropped.</summary>
    private sealed class Server : IAsyncDisposable
    {
        private readonly Process process;
        private readonly long started;
        private readonly HttpClient http;

        private Server(Process process, long started, int port)
        {
            this.process = process;
            this.started = started;
            http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        }

        public static Task<Server> StartAsync(string data, CancellationToken cancellationToken)
        {
            var port = FreePort();
            var exe = Environment.ProcessPath!;
            var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            if (Path.GetFileNameWithoutExtension(exe) == "dotnet")
            {
                info.ArgumentList.Add(typeof(StartBenchmark).Assembly.Location);
            }

            info.ArgumentList.Add("serve");
            info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
            info.Environment[EnvironmentVariables.DataDir] = data;
            info.Environment[EnvironmentVariables.RateLimitPerMinute] = "0";
            var started = Stopwatch.GetTimestamp();
            var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {exe}.");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult(new Server(process, started, port));
        }

        /// <summary>Polls <c>/health?ready=1</c> every 10 ms; the time from the process start to its first 200.</summary>
        public async Task<TimeSpan> WaitUntilReadyAsync(CancellationToken cancellationToken)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMinutes(5));
            while (true)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"The app exited with code {process.ExitCode} before it was ready.");
                }

                try
                {
                    using var response = await http.GetAsync("/health?ready=1", timeout.Token);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        return Stopwatch.GetElapsedTime(started);
                    }
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }

                await Task.Delay(10, timeout.Token);
            }
        }

        /// <summary>
        /// One <c>POST /chat</c>, read to the end: milliseconds. The body is written before the clock starts, so the
        /// figure holds no first use of this process's own JSON code.
        /// </summary>
        public async Task<double> AskAsync(string question, CancellationToken cancellationToken)
        {
            using var body = new StringContent($$"""{"question":{{JsonSerializer.Serialize(question, BenchJsonContext.Default.String)}}}""", Encoding.UTF8, "application/json");
            await body.LoadIntoBufferAsync(cancellationToken);
            var start = Stopwatch.GetTimestamp();
            using var response = await http.PostAsync("/chat", body, cancellationToken);
            await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            response.EnsureSuccessStatusCode();
            return elapsed;
        }

        public async ValueTask DisposeAsync()
        {
            http.Dispose();
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
            process.Dispose();
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}

/// <summary>The benchmark's own JSON: a question as a JSON string.</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class BenchJsonContext : JsonSerializerContext;
