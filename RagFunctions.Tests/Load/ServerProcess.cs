using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using RagFunctions.Hosting;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Load;

/// <summary>
/// The built standalone host (<c>dotnet RagFunctions.dll</c>) as its own process on a free loopback port, configured by
/// environment variables only, over an empty data folder (so it ingests the bundled sample book at start); or, with
/// the Functions host's arguments, the same exe as a Functions worker (see <c>FunctionsHostDouble</c>).
/// Its output is drained (the last lines are kept for failure messages); disposing kills it and deletes the folder.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private const int KeptLines = 40;

    private readonly Process process;
    private readonly string dataDir;
    private readonly Queue<string> lastLines = new();
    private readonly List<string> firstErrors = [];
    private readonly List<string> firstWarnings = [];
    private int warnings;
    private int errors;

    private ServerProcess(string name, Process process, Uri baseAddress, string dataDir)
    {
        Name = name;
        this.process = process;
        BaseAddress = baseAddress;
        this.dataDir = dataDir;
    }

    public string Name { get; }

    public Uri BaseAddress { get; }

    public int Id => process.Id;

    /// <summary>Log lines at Warning level so far.</summary>
    public int Warnings => Volatile.Read(ref warnings);

    /// <summary>Log lines at Error or Critical level so far.</summary>
    public int Errors => Volatile.Read(ref errors);

    /// <summary>The first few Error or Critical lines.</summary>
    public IReadOnlyList<string> FirstErrors
    {
        get
        {
            lock (lastLines)
            {
                return [.. firstErrors];
            }
        }
    }

    /// <summary>Called with every line the server writes (from a reader thread).</summary>
    public Action<string>? LineWritten { get; set; }

    /// <summary>The CPU time the server used so far, all threads.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    /// <summary>The first few Warning lines.</summary>
    public IReadOnlyList<string> FirstWarnings
    {
        get
        {
            lock (lastLines)
            {
                return [.. firstWarnings];
            }
        }
    }

    /// <summary>The last lines the server wrote (stdout and stderr).</summary>
    public string RecentOutput
    {
        get
        {
            lock (lastLines)
            {
                return string.Join('\n', lastLines);
            }
        }
    }

    /// <summary>Completes when the process has exited.</summary>
    public Task Exited => process.WaitForExitAsync();

    /// <param name="environment">Set on top of a clean slate: every variable the app reads is removed first.</param>
    /// <param name="arguments">Given to the exe after its path (none for the standalone host).</param>
    public static ServerProcess Start(string name, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string>? arguments = null)
    {
        var app = RepoFiles.AppBuildOutput("RagFunctions.dll");
        if (!File.Exists(app))
        {
            throw new InvalidOperationException($"{app} is missing: build the solution ({RepoFiles.Configuration}) first.");
        }

        var port = FreePort();
        var dataDir = TempDirectory.Create();
        var start = new ProcessStartInfo("dotnet", [app, .. arguments ?? []])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(app)!,
        };
        foreach (var variable in EnvironmentVariables.All.Append("ASPNETCORE_URLS"))
        {
            start.Environment.Remove(variable);
        }

        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment[EnvironmentVariables.DataDir] = dataDir;
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        var server = new ServerProcess(name, process, new Uri($"http://127.0.0.1:{port}/"), dataDir);
        process.OutputDataReceived += (_, line) => server.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => server.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>
    /// Polls <c>GET /health?ready=1&amp;probe=1</c> (<c>probe</c> skips the health cache) until the index is complete:
    /// <c>ready</c> answers 200 as soon as the first page is in, but <c>vector_store.built_at</c> is set only when the
    /// ingestion is over. Fails early, with the server's last output, if the process exits.
    /// </summary>
    public async Task WaitUntilReadyAsync(HttpClient http, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {process.ExitCode}:\n{RecentOutput}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, "health?ready=1&probe=1"), cancellationToken);
                var health = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                if (response.StatusCode == HttpStatusCode.OK && health?["services"]?["vector_store"]?["built_at"] is not null)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"{Name} was not ready after {timeout.TotalSeconds:F0} s:\n{RecentOutput}");
            }

            // Polling an external process: there is nothing to await instead.
            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }

    /// <summary>Resident memory now and its peak so far (<c>VmRSS</c>, <c>VmHWM</c> of <c>/proc/&lt;pid&gt;/status</c>), in MB.</summary>
    public (double RssMb, double PeakMb) Memory()
    {
        double rss = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line) / 1024.0;
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kilobytes(line) / 1024.0;
            }
        }

        return (rss, peak);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            process.Dispose();
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }

    private static long Kilobytes(string statusLine)
        => long.Parse(statusLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        LineWritten?.Invoke(line);
        var error = line.Contains(" fail: ", StringComparison.Ordinal) || line.Contains(" crit: ", StringComparison.Ordinal);
        var warning = line.Contains(" warn: ", StringComparison.Ordinal);
        if (warning)
        {
            Interlocked.Increment(ref warnings);
        }

        if (error)
        {
            Interlocked.Increment(ref errors);
        }

        lock (lastLines)
        {
            if (error && firstErrors.Count < 5)
            {
                firstErrors.Add(line);
            }

            if (warning && firstWarnings.Count < 3)
            {
                firstWarnings.Add(line);
            }

            lastLines.Enqueue(line);
            if (lastLines.Count > KeptLines)
            {
                lastLines.Dequeue();
            }
        }
    }
}
