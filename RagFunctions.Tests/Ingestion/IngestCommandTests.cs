using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RagFunctions.Ingestion;
using RagFunctions.Retrieval;
using RagFunctions.Retrieval.VectorStore;
using RagFunctions.Tests.Fakes;
using RagFunctions.Tests.Support;
using Spectre.Console;

namespace RagFunctions.Tests.Ingestion;

/// <summary>The <c>ingest</c> verb against a data folder, and a server reading that folder while it runs.</summary>
public sealed class IngestCommandTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ingest_SaysWhichDataFolderAndAddress_AndWarnsWhenBookBaseUrlIsTheLocalhostDefault()
    {
        var docs = Book("guide", "intro", "setup");
        var data = TempDirectory.Create();
        await using var app = await StartAsync(data, docs, baseUrl: null);
        await app.StartupIngestion;
        var (console, output) = Console();

        var exit = await IngestCommand.RunAsync(app.Services, console, docs, new IngestCommand.IngestFlags(Replace: false, ListFiles: true), Cancel);

        Assert.Equal(0, exit);
        var text = Flat(output);
        Assert.Contains($"data folder {Path.GetFullPath(data)}", text, StringComparison.Ordinal);
        Assert.Contains("Citations will point at: http://localhost:3000/docs/", text, StringComparison.Ordinal);
        Assert.Contains("BOOK_BASE_URL is not set", text, StringComparison.Ordinal);
        Assert.Contains("guide/intro.md", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_WithBookBaseUrlSet_DoesNotWarn()
    {
        var docs = Book("guide", "intro");
        await using var app = await StartAsync(TempDirectory.Create(), docs, "https://example.org/book/");
        await app.StartupIngestion;
        var (console, output) = Console();

        await IngestCommand.RunAsync(app.Services, console, docs, default, Cancel);

        Assert.Contains("Citations will point at: https://example.org/book/docs/", Flat(output), StringComparison.Ordinal);
        Assert.DoesNotContain("Warning", Flat(output), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_AnotherBookInTheIndex_ChangesNothingWithoutReplace_AndReplacesItWithReplace()
    {
        var first = Book("alpha", "one", "two");
        var second = Book("beta", "x", "y", "z");
        await using var app = await StartAsync(TempDirectory.Create(), first, "https://example.org/");
        await app.StartupIngestion;
        var store = app.Services.GetRequiredService<IVectorStore>();
        var (console, output) = Console();

        var refused = await IngestCommand.RunAsync(app.Services, console, second, default, Cancel);

        Assert.Equal(IngestCommand.AnotherBookExitCode, refused);
        Assert.Contains("--replace", Flat(output), StringComparison.Ordinal);
        Assert.Equal(2, (await store.GetStatsAsync(Cancel)).Pages);

        var replaced = await IngestCommand.RunAsync(app.Services, console, second, new IngestCommand.IngestFlags(Replace: true, ListFiles: false), Cancel);

        Assert.Equal(0, replaced);
        Assert.Equal(3, (await store.GetStatsAsync(Cancel)).Pages);
    }

    [Fact]
    public async Task Ingest_SameBookEdited_NeedsNoReplace()
    {
        var docs = Book("alpha", "one", "two", "three");
        await using var app = await StartAsync(TempDirectory.Create(), docs, "https://example.org/");
        await app.StartupIngestion;
        File.Delete(Path.Combine(docs, "alpha", "three.md"));
        var (console, _) = Console();

        Assert.Equal(0, await IngestCommand.RunAsync(app.Services, console, docs, default, Cancel));
    }

    [Fact]
    public async Task Ingest_IntoTheDataFolderAServerUses_TheServerLogsTheNewBookWithinASecond()
    {
        var data = TempDirectory.Create();
        await using var server = await StartAsync(data, Book("alpha", "one", "two"), "https://example.org/");

        // Bounded, so that a watcher that never reports fails this test instead of holding up the whole run.
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        patience.CancelAfter(TimeSpan.FromMinutes(1));
        await server.StartupIngestion.WaitAsync(patience.Token);
        // The watcher's first look may come before or after the server's own ingestion ends: either way it then says it serves 2 pages.
        await server.Logs.WhenAsync(lines => lines.Any(l => l.Contains("IndexWatcher", StringComparison.Ordinal) && l.Contains("erving 2 pages", StringComparison.Ordinal)), patience.Token);
        var second = Book("beta", "x", "y", "z");

        // The command line is another set of services on the same folder, as another process would be.
        await using (var cli = await StartAsync(data, second, "https://example.org/"))
        {
            await cli.StartupIngestion;
            var (console, _) = Console();
            Assert.Equal(0, await IngestCommand.RunAsync(cli.Services, console, second, new IngestCommand.IngestFlags(Replace: true, ListFiles: false), Cancel));
        }

        var watch = Stopwatch.StartNew();
        using var oneSecond = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        oneSecond.CancelAfter(TimeSpan.FromSeconds(1));
        await server.Logs.WhenAsync(lines => lines.Any(l => l.Contains("now serving 3 pages", StringComparison.Ordinal)), oneSecond.Token);
        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Assert.Contains(server.Logs.Lines, l => l.Contains("now serving 3 pages", StringComparison.Ordinal) && l.Contains("https://example.org/docs/beta/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Server_StartingOnAnIndexAlreadyBuilt_LogsTheBookItServes()
    {
        var data = TempDirectory.Create();
        var docs = Book("alpha", "one", "two");
        await using (var first = await StartAsync(data, docs, "https://example.org/"))
        {
            await first.StartupIngestion;
        }

        await using var second = await StartAsync(data, docs, "https://example.org/");
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(Cancel);
        patience.CancelAfter(TimeSpan.FromMinutes(1));
        await second.Logs.WhenAsync(lines => lines.Any(l => l.Contains("[4033]", StringComparison.Ordinal)), patience.Token);

        var line = Assert.Single(second.Logs.Lines, l => l.Contains("[4033]", StringComparison.Ordinal));
        Assert.Contains("Serving 2 pages", line, StringComparison.Ordinal);
        Assert.Contains("https://example.org/docs/alpha/", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watcher_SaysNothingWhileTheIndexChanges_AndOnceWhenABuildIsMarkedFinished()
    {
        await using var app = await StartAsync(TempDirectory.Create(), Book("alpha", "one", "two"), "https://example.org/");
        await app.StartupIngestion;
        var store = app.Services.GetRequiredService<IVectorStore>();
        var logs = new CapturedLogs();
        using var factory = LoggerFactory.Create(builder => builder.AddProvider(logs));
        var watcher = new IndexWatcher(
            store, app.Services.GetRequiredService<BookCatalog>(), app.Services.GetRequiredService<StorageChoice>(),
            app.Services.GetRequiredService<IOptions<BookOptions>>(), TimeProvider.System, factory.CreateLogger<IndexWatcher>());

        await watcher.CheckAsync(Cancel);
        await store.DeletePagesAsync([(await store.GetPageUrlsAsync(Cancel))[0]], Cancel); // as a build under way changes it
        await watcher.CheckAsync(Cancel);
        await watcher.CheckAsync(Cancel);
        await store.MarkBuiltAsync(DateTimeOffset.UtcNow.AddMinutes(1), Cancel);
        await watcher.CheckAsync(Cancel);
        await watcher.CheckAsync(Cancel);

        Assert.Collection(
            logs.Lines,
            first => Assert.Contains("[4033]  Serving 2 pages", first, StringComparison.Ordinal),
            rebuilt => Assert.Contains("[4030]  The index was rebuilt: now serving 1 pages", rebuilt, StringComparison.Ordinal));
    }

    private static Task<TestApp> StartAsync(string data, string docs, string? baseUrl)
        => TestApp.StartAsync(
            new Dictionary<string, string?> { ["RAG_DATA_DIR"] = data, ["BOOK_DOCS_DIR"] = docs, ["BOOK_BASE_URL"] = baseUrl },
            (services, configuration) =>
            {
                AppServices.Add(services, configuration);
                services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(new HashEmbeddings());
            });

    /// <summary>A docs folder with one page per name under <paramref name="folder"/>.</summary>
    private static string Book(string folder, params string[] pages)
    {
        var docs = TempDirectory.Create();
        Directory.CreateDirectory(Path.Combine(docs, folder));
        foreach (var page in pages)
        {
            File.WriteAllText(Path.Combine(docs, folder, page + ".md"), $"# Page {page}\n\nThe {page} page of the {folder} book explains {page} in a few words.\n");
        }

        return docs;
    }

    private static (IAnsiConsole Console, StringWriter Output) Console()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 400;
        return (console, output);
    }

    /// <summary>The output with line wrapping undone.</summary>
    private static string Flat(StringWriter output) => output.ToString().ReplaceLineEndings(" ");
}

/// <summary>The command line's logging: warnings and errors only, so no debug line lands between progress updates.</summary>
public sealed class CommandLineLoggingTests
{
    [Fact]
    public async Task CommandLineServices_LogWarningsAndErrorsOnly()
    {
        await using var services = RagFunctions.Hosting.CommandLine.BuildServices(AppServices.Add);
        var logger = services.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>().CreateLogger("RagFunctions.Ingestion.IngestionService");

        Assert.False(logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Debug));
        Assert.False(logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Information));
        Assert.True(logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Warning));
    }
}
