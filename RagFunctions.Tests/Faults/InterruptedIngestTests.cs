using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RagFunctions.Retrieval.VectorStore.Sqlite;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Faults;

/// <summary>
/// An ingest that stops halfway, because the disk filled up or the process was killed, leaves every page either as
/// it was or wholly new (one transaction per page), the app answers from what was committed, and the next ingest
/// converges to exactly what a clean ingest produces.
/// </summary>
public sealed class InterruptedIngestTests
{
    /// <summary>Pages the capped file may still grow by: room for some of the grown pages, not all.</summary>
    private const int Headroom = 6;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static string SampleDocs => Path.Combine(AppContext.BaseDirectory, "SampleBook", "docs");

    [Fact]
    public async Task DiskFullDuringIngest_FailsClearly_LeavesWholePages_ChatGoesOn_AndTheNextIngestConverges()
    {
        var dataDir = await SampleBookIndex.CopyAsync();
        var path = Path.Combine(dataDir, SqliteStoreOptions.DatabaseFileName);
        var docs = GrownSampleBook();
        var before = IndexContents.Read(path);
        var expected = IndexContents.Expected(docs);
        var size = long.Parse(IndexContents.Scalar(path, "PRAGMA page_count"), System.Globalization.CultureInfo.InvariantCulture);
        await using var app = await StartAppAsync(dataDir, docs, size + Headroom);

        using (var ingest = await SqliteFaultMatrixTests.AdminIngestAsync(app))
        {
            var problem = await Problems.AssertAsync(ingest, HttpStatusCode.ServiceUnavailable);
            Assert.Contains("Disk full while writing the index", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        var partial = IndexContents.Read(path);
        var written = 0;
        foreach (var (page, chunks) in expected)
        {
            var now = partial.GetValueOrDefault(page, []);
            Assert.True(now.SequenceEqual(before[page]) || now.SequenceEqual(chunks), $"{page} is half written");
            written += now.SequenceEqual(chunks) ? 1 : 0;
        }

        Assert.True(written > 0 && written < expected.Count, $"the disk filled up after {written} of {expected.Count} pages, not halfway");
        Assert.Equal("ok", IndexContents.Scalar(path, "PRAGMA integrity_check"));
        await FaultRequests.ChatAnswerAsync(app);

        app.Services.GetRequiredService<IOptions<SqliteStoreOptions>>().Value.MaxPageCount = uint.MaxValue;
        using (var ingest = await SqliteFaultMatrixTests.AdminIngestAsync(app))
        {
            Assert.True(ingest.StatusCode == HttpStatusCode.OK, await ingest.Content.ReadAsStringAsync(Cancel));
        }

        AssertSame(expected, IndexContents.Read(path));
        await FaultRequests.ChatAnswerAsync(app);
    }

    [Fact]
    public async Task KilledDuringIngest_LeavesOnlyWholePages_AndTheNextIngestConverges()
    {
        var dataDir = TempDirectory.Create();
        var path = Path.Combine(dataDir, SqliteStoreOptions.DatabaseFileName);
        var expected = IndexContents.Expected(SampleDocs);

        using (var first = StartIngest(dataDir, out var output))
        {
            var waited = Stopwatch.StartNew();
            while (IndexContents.PagesIn(path) < 2)
            {
                Assert.False(first.HasExited, $"ingest ended (exit {(first.HasExited ? first.ExitCode : 0)}) before it could be killed halfway:\n{output}");
                Assert.True(waited.Elapsed < TimeSpan.FromSeconds(60), $"no page was committed within 60 s:\n{output}");
                await Task.Delay(25, Cancel);
            }

            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync(Cancel);
        }

        var partial = IndexContents.Read(path);
        Assert.InRange(partial.Count, 2, expected.Count - 1);
        foreach (var (page, chunks) in partial)
        {
            Assert.Equal(expected[page], chunks);
        }

        using (var second = StartIngest(dataDir, out var output))
        {
            await second.WaitForExitAsync(Cancel).WaitAsync(TimeSpan.FromSeconds(120), Cancel);
            Assert.True(second.ExitCode == 0, $"the second ingest failed:\n{output}");
        }

        AssertSame(expected, IndexContents.Read(path));
    }

    private static void AssertSame(Dictionary<string, string[]> expected, Dictionary<string, string[]> actual)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (page, chunks) in expected)
        {
            Assert.Equal(chunks, actual[page]);
        }
    }

    /// <summary>The real exe: <c>dotnet RagFunctions.dll ingest &lt;sample docs&gt;</c>, its output collected.</summary>
    private static Process StartIngest(string dataDir, out StringBuilder output)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "RagFunctions.dll"), "ingest", SampleDocs])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["RAG_DATA_DIR"] = dataDir },
        };
        var text = new StringBuilder();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, line) => Append(text, line.Data);
        process.ErrorDataReceived += (_, line) => Append(text, line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        output = text;
        return process;
    }

    private static void Append(StringBuilder text, string? line)
    {
        lock (text)
        {
            text.AppendLine(line);
        }
    }

    /// <summary>The sample book with one more section at the end of every page: each page grows the index.</summary>
    private static string GrownSampleBook()
    {
        var docs = TempDirectory.Create();
        foreach (var file in Directory.GetFiles(SampleDocs, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(docs, Path.GetRelativePath(SampleDocs, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
            if (Path.GetExtension(file) is ".md" or ".mdx")
            {
                var topic = Path.GetFileNameWithoutExtension(file);
                var paragraph = string.Join(' ', Enumerable.Range(0, 60).Select(i => $"Spare part {i} of {topic} is checked before each run."));
                File.AppendAllText(copy, $"\n\n## Spare parts for {topic}\n\n{paragraph}\n");
            }
        }

        return docs;
    }

    private static Task<TestApp> StartAppAsync(string dataDir, string docs, long maxPageCount)
        => TestApp.StartAsync(
            new Dictionary<string, string?>
            {
                ["RAG_DATA_DIR"] = dataDir,
                ["BOOK_DOCS_DIR"] = docs,
                ["ADMIN_API_KEY"] = SqliteFaultMatrixTests.AdminKey,
            },
            (services, configuration) =>
            {
                AppServices.Add(services, configuration);
                services.PostConfigure<SqliteStoreOptions>(o => o.MaxPageCount = maxPageCount);
            });
}
