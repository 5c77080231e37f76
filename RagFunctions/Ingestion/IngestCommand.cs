using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RagFunctions.Hosting;
using RagFunctions.Retrieval.VectorStore;
using RagFunctions.Retrieval.VectorStore.Qdrant;
using RagFunctions.Retrieval.VectorStore.Sqlite;
using Spectre.Console;

namespace RagFunctions.Ingestion;

/// <summary>
/// <c>ingest [docs-folder | sitemap-url] [--replace] [--files]</c>: says where it writes and where citations will point,
/// reads the book, asks before replacing another book, indexes it with a progress bar (logs go to stderr, warnings only),
/// then prints the summary and every file that was skipped or repaired, with why.
/// </summary>
internal static class IngestCommand
{
    public static Command Create(Func<IServiceProvider> services)
    {
        var source = new Argument<string?>("source")
        {
            Description = "A Docusaurus docs folder, or the site's sitemap URL. Default: BOOK_DOCS_DIR, else SITEMAP_URL, else the bundled sample book.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var replace = new Option<bool>("--replace", "--yes", "-y")
        {
            Description = "Replace the book the index holds when it is another book (without it, ingest stops and says so).",
        };
        var files = new Option<bool>("--files")
        {
            Description = "List every file with what became of it (indexed, repaired, skipped), not only the skipped and repaired ones.",
        };
        var command = new Command("ingest", "Index a Docusaurus book (incremental: unchanged sections are not embedded again).") { source, replace, files };
        command.SetAction((parsed, cancellationToken) => RunAsync(
            services(), AnsiConsole.Console, parsed.GetValue(source), new IngestFlags(parsed.GetValue(replace), parsed.GetValue(files)), cancellationToken));
        return command;
    }

    /// <summary>The command's switches.</summary>
    internal readonly record struct IngestFlags(bool Replace, bool ListFiles);

    /// <summary>Exit code when the index holds another book and <c>--replace</c> was not given.</summary>
    public const int AnotherBookExitCode = 3;

    internal static async Task<int> RunAsync(
        IServiceProvider services, IAnsiConsole console, string? source, IngestFlags flags, CancellationToken cancellationToken)
    {
        var book = services.GetRequiredService<IOptions<BookOptions>>().Value;
        var reader = services.GetRequiredService<BookSource>();
        var ingestion = services.GetRequiredService<IngestionService>();
        var store = services.GetRequiredService<IVectorStore>();
        source ??= !book.UsesSampleBook ? book.DocsFolder : book.SitemapUrl ?? book.DocsFolder;

        console.MarkupLine($"Index: [blue]{Markup.Escape(Destination(services))}[/]");
        console.MarkupLine($"Citations will point at: [blue]{Markup.Escape(reader.Site.PageUrl("/"))}/…[/]");
        if (string.IsNullOrWhiteSpace(book.BaseUrl))
        {
            console.MarkupLine(
                $"[yellow]Warning: {EnvironmentVariables.BookBaseUrl} is not set, so citations use the default {BookOptions.DefaultBaseUrl} " +
                $"(Docusaurus' development server). Set {EnvironmentVariables.BookBaseUrl} to the published site's URL + base URL.[/]");
        }

        BookRead pages;
        if (Uri.TryCreate(source, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
        {
            console.MarkupLine($"Reading the site through [blue]{Markup.Escape(url.AbsoluteUri)}[/] …");
            pages = await reader.ReadSitemapAsync(url, cancellationToken);
        }
        else if (Directory.Exists(source))
        {
            console.MarkupLine($"Reading [blue]{Markup.Escape(Path.GetFullPath(source))}[/] …");
            pages = await reader.ReadFolderAsync(Path.GetFullPath(source), cancellationToken);
        }
        else
        {
            console.MarkupLine($"[red]'{Markup.Escape(source)}' is neither a folder nor an http(s) sitemap URL.[/]");
            return 1;
        }

        if (await IndexedUrlsAsync(store, cancellationToken) is { Count: > 0 } indexed
            && IndexedBook.IsAnotherBook(indexed, [.. pages.Pages.Select(p => p.PageUrl)]))
        {
            var question = $"The index holds another book ({indexed.Count} pages under {IndexedBook.BaseUrlOf(indexed)}); " +
                $"this ingest replaces it with {pages.Pages.Count} pages under {IndexedBook.BaseUrlOf(pages.Pages.Select(p => p.PageUrl))}.";
            if (!flags.Replace && !(console.Profile.Capabilities.Interactive && !Console.IsInputRedirected
                && await console.ConfirmAsync(Markup.Escape(question) + " Replace it?", defaultValue: false, cancellationToken)))
            {
                console.MarkupLine($"[red]{Markup.Escape(question)} Nothing was changed: run again with --replace (or --yes) to replace it.[/]");
                return AnotherBookExitCode;
            }

            console.MarkupLine($"[yellow]{Markup.Escape(question)}[/]");
        }

        IngestionReport report = null!;
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"Indexing {pages.Pages.Count} pages", maxValue: Math.Max(1, pages.Pages.Count));
                var progress = new Progress<IngestionProgress>(p => task.Value = p.PagesDone);
                report = await ingestion.IngestAsync(pages, complete: true, progress, cancellationToken);
                task.Value = task.MaxValue;
            });

        var table = new Table().AddColumns(
            "files read", "pages indexed", "repaired", "skipped", "chunks", "added", "updated", "deleted", "unchanged", "pages removed", "seconds");
        table.AddRow(
            $"{report.FilesRead}", $"{report.Pages}", $"{report.PagesRepaired}", $"{report.FilesSkipped}", $"{report.Chunks}",
            $"{report.ChunksAdded}", $"{report.ChunksUpdated}", $"{report.ChunksDeleted}", $"{report.ChunksUnchanged}",
            $"{report.PagesDeleted}", $"{report.Seconds:F1}");
        console.Write(table);
        console.WriteLine(report.ToString());
        console.WriteLine($"{report.ChunksEmbedded / Math.Max(report.Seconds, 0.001):F1} chunks embedded per second");

        var listed = report.Files.Where(f => flags.ListFiles || f.Status != IngestedFile.Indexed).ToList();
        if (listed.Count > 0)
        {
            var files = new Table().AddColumns("file", "status", "why / what", "chunks");
            foreach (var file in listed)
            {
                files.AddRow(Markup.Escape(file.Path), file.Status, Markup.Escape(file.Reason ?? file.Url ?? ""), $"{file.Chunks}");
            }

            console.Write(files);
        }

        return 0;
    }

    private static async Task<IReadOnlyList<string>> IndexedUrlsAsync(IVectorStore store, CancellationToken cancellationToken)
        => (await store.GetStatsAsync(cancellationToken)).Chunks > 0 ? await store.GetPageUrlsAsync(cancellationToken) : [];

    /// <summary>Where the index is written: the SQLite file's folder, or the Qdrant collection and host.</summary>
    private static string Destination(IServiceProvider services)
    {
        if (services.GetRequiredService<StorageChoice>().Kind == StorageKind.Qdrant)
        {
            var qdrant = services.GetRequiredService<IOptions<QdrantStoreOptions>>().Value;
            return $"Qdrant collection '{qdrant.Collection}' at {qdrant.Endpoint.Host}:{qdrant.Endpoint.Port}";
        }

        return $"data folder {services.GetRequiredService<IOptions<SqliteStoreOptions>>().Value.DataDirectory}";
    }
}
