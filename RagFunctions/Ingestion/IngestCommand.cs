using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace RagFunctions.Ingestion;

/// <summary><c>ingest [docs-folder | sitemap-url]</c>: indexes the book with a progress bar, then prints a summary.</summary>
internal static class IngestCommand
{
    public static Command Create(Func<IServiceProvider> services)
    {
        var source = new Argument<string?>("source")
        {
            Description = "A Docusaurus docs folder, or the site's sitemap URL. Default: BOOK_DOCS_DIR, else SITEMAP_URL, else the bundled sample book.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("ingest", "Index a Docusaurus book (incremental: unchanged sections are not embedded again).") { source };
        command.SetAction((parsed, cancellationToken) => RunAsync(services(), parsed.GetValue(source), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(IServiceProvider services, string? source, CancellationToken cancellationToken)
    {
        var book = services.GetRequiredService<IOptions<BookOptions>>().Value;
        var reader = services.GetRequiredService<BookSource>();
        var ingestion = services.GetRequiredService<IngestionService>();
        source ??= !book.UsesSampleBook ? book.DocsFolder : book.SitemapUrl ?? book.DocsFolder;

        IReadOnlyList<BookPage> pages;
        if (Uri.TryCreate(source, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
        {
            AnsiConsole.MarkupLine($"Reading the site through [blue]{Markup.Escape(url.AbsoluteUri)}[/] …");
            pages = await reader.ReadSitemapAsync(url, cancellationToken);
        }
        else if (Directory.Exists(source))
        {
            pages = await reader.ReadFolderAsync(Path.GetFullPath(source), cancellationToken);
        }
        else
        {
            AnsiConsole.MarkupLine($"[red]'{Markup.Escape(source)}' is neither a folder nor an http(s) sitemap URL.[/]");
            return 1;
        }

        IngestionReport report = null!;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"Indexing {pages.Count} pages", maxValue: Math.Max(1, pages.Count));
                var progress = new Progress<IngestionProgress>(p => task.Value = p.PagesDone);
                report = await ingestion.IngestAsync(pages, complete: true, progress, cancellationToken);
                task.Value = task.MaxValue;
            });

        var table = new Table().AddColumns("pages", "sections", "added", "updated", "deleted", "unchanged", "pages removed", "seconds");
        table.AddRow(
            $"{report.Pages}", $"{report.Sections}", $"{report.ChunksAdded}", $"{report.ChunksUpdated}", $"{report.ChunksDeleted}",
            $"{report.ChunksUnchanged}", $"{report.PagesDeleted}", $"{report.Seconds:F1}");
        AnsiConsole.Write(table);
        return 0;
    }
}
