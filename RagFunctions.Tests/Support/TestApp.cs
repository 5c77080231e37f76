using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RagFunctions.Hosting;

[assembly: AssemblyFixture(typeof(RagFunctions.Tests.Support.TempFolders))]

namespace RagFunctions.Tests.Support;

/// <summary>
/// The real standalone host on a free loopback port, configured only by <paramref name="settings"/>
/// (as environment variables would), with every log line captured.
/// </summary>
internal sealed class TestApp : IAsyncDisposable
{
    private readonly WebApplication app;

    private TestApp(WebApplication app, CapturedLogs logs)
    {
        this.app = app;
        Logs = logs;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient { BaseAddress = new Uri(address) };
    }

    public HttpClient Client { get; }

    public CapturedLogs Logs { get; }

    public IServiceProvider Services => app.Services;

    /// <summary>Completes when the start-up check of the index (and its ingestion, if it was empty) is over.</summary>
    public Task StartupIngestion => app.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>()
        .OfType<RagFunctions.Ingestion.StartupIngestion>().Single().Completion;

    /// <summary>Completes when every start-up warm-up is done (the embedding model, the chat pipeline, …: readiness waits for them).</summary>
    public Task Warmups => Task.WhenAll(app.Services.GetServices<StartupWarmup>().Select(w => w.Completion));

    public static Task<TestApp> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
        => StartAsync(settings, static (services, configuration) => AppServices.Add(services, configuration));

    public static async Task<TestApp> StartAsync(
        IReadOnlyDictionary<string, string?>? settings,
        Action<IServiceCollection, IConfiguration> addServices)
    {
        var logs = new CapturedLogs();
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["urls"] = "http://127.0.0.1:0",
        };
        all.TryAdd(EnvironmentVariables.DataDir, TempDirectory.Create());

        // Every test client shares one loopback address; the rate-limit tests turn limiting on themselves.
        all.TryAdd(EnvironmentVariables.RateLimitPerMinute, "0");
        var app = StandaloneHost.Build([], addServices, all, logging => logging.ClearProviders().AddProvider(logs));
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new TestApp(app, logs);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>Every formatted log line, with its scopes, as the console would show it.</summary>
internal sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> lines = new();
    private readonly List<(Func<IReadOnlyList<string>, bool> Condition, TaskCompletionSource Signal)> waiters = [];
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<string> Lines => [.. lines];

    /// <summary>Completes once <paramref name="condition"/> holds for the lines logged so far: checked at every new line, never polled.</summary>
    public Task WhenAsync(Func<IReadOnlyList<string>, bool> condition, CancellationToken cancellationToken)
    {
        lock (waiters)
        {
            if (condition(Lines))
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Add((condition, signal));
            return signal.Task.WaitAsync(cancellationToken);
        }
    }

    private void Add(string line)
    {
        lines.Enqueue(line);
        lock (waiters)
        {
            if (waiters.Count == 0)
            {
                return;
            }

            var snapshot = Lines;
            foreach (var waiter in waiters.Where(w => w.Condition(snapshot)).ToList())
            {
                waiter.Signal.TrySetResult();
                waiters.Remove(waiter);
            }
        }
    }

    public string All => string.Join('\n', lines);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner.scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scopeText = new List<string>();
            owner.scopes.ForEachScope((scope, list) => list.Add(scope?.ToString() ?? ""), scopeText);
            var line = $"{logLevel} {category}[{eventId.Id}] {string.Join(" => ", scopeText)} {formatter(state, exception)} {exception}";
            owner.Add(line);
        }
    }
}

/// <summary>
/// Folders for one test run, all under <c>ragfunctions-tests/run-{process id}-{guid}</c> in the temp folder: deleted
/// when the run ends (<see cref="TempFolders"/>), and a run that was killed before it could is swept by the next one.
/// </summary>
internal static class TempDirectory
{
    public static readonly string Parent = Path.Combine(Path.GetTempPath(), "ragfunctions-tests");

    public static readonly string RunRoot = Path.Combine(Parent, $"run-{Environment.ProcessId}-{Guid.NewGuid():N}");

    public static string Create()
    {
        var path = Path.Combine(RunRoot, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Deletes the folders of earlier runs whose process has ended; a run still going (another test process) is left alone.</summary>
    public static void DeleteStaleRuns()
    {
        if (!Directory.Exists(Parent))
        {
            return;
        }

        foreach (var run in Directory.GetDirectories(Parent, "run-*"))
        {
            var parts = Path.GetFileName(run).Split('-');
            if (parts.Length == 3 && int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var pid) && !IsRunning(pid))
            {
                TryDelete(run);
            }
        }
    }

    /// <summary>Best effort: a file some process still holds stays, and the next run sweeps it.</summary>
    public static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}

/// <summary>Sweeps the folders of ended runs when the test run starts, and deletes this run's when it ends.</summary>
public sealed class TempFolders : IDisposable
{
    public TempFolders() => TempDirectory.DeleteStaleRuns();

    public void Dispose() => TempDirectory.TryDelete(TempDirectory.RunRoot);
}
