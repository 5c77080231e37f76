using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RagFunctions.Hosting;
using RagFunctions.Ingestion;
using RagFunctions.Retrieval.VectorStore;
using Spectre.Console;

namespace RagFunctions.Evaluation;

/// <summary>
/// <c>eval &lt;questions.jsonl&gt; [--book &lt;docs folder&gt; --base-url &lt;site url&gt;] [--out answers.jsonl]</c>: asks a question
/// set through the chat pipeline and prints its figures per kind of question. With <c>--book</c> the book is indexed
/// first into a throw-away embedded index (a temporary folder, deleted afterwards); without it, the configured index is used.
/// </summary>
internal static class EvalCommand
{
    public static Command Create(Func<IServiceProvider> services)
    {
        var questions = new Argument<FileInfo>("questions") { Description = "The question file (JSON Lines; see README, \"Measure it on your book\")." };
        var book = new Option<DirectoryInfo?>("--book") { Description = "A Docusaurus docs folder to index into a throw-away index first." };
        var baseUrl = new Option<string?>("--base-url") { Description = "The book's site URL plus base URL (with --book); default BOOK_BASE_URL." };
        var output = new Option<FileInfo?>("--out") { Description = "Write every question's answer, sources and figures here (JSON Lines), for reading." };
        var command = new Command("eval", "Measure the answers on a question set: page and section hit@5, key words, noise, refusals, latency.")
        {
            questions, book, baseUrl, output,
        };
        command.SetAction((parsed, cancellationToken) => RunAsync(
            services, parsed.GetValue(questions)!, parsed.GetValue(book), parsed.GetValue(baseUrl), parsed.GetValue(output), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(
        Func<IServiceProvider> services, FileInfo file, DirectoryInfo? book, string? baseUrl, FileInfo? output, CancellationToken cancellationToken)
    {
        IReadOnlyList<EvalQuestion> questions;
        try
        {
            questions = QuestionFile.Read(file.FullName);
        }
        catch (Exception ex) when (ex is FormatException or IOException)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(ex.Message)}[/]");
            return 2;
        }

        if (book is not null && !book.Exists)
        {
            AnsiConsole.MarkupLine($"[red]--book '{Markup.Escape(book.FullName)}' is not a folder.[/]");
            return 2;
        }

        string? scratch = null;
        if (book is not null)
        {
            // The services are built from the environment on first use: point them at a throw-away embedded index.
            scratch = Directory.CreateTempSubdirectory("ragfunctions-eval-").FullName;
            Environment.SetEnvironmentVariable(EnvironmentVariables.DataDir, scratch);
            Environment.SetEnvironmentVariable(EnvironmentVariables.QdrantUrl, null);
            Environment.SetEnvironmentVariable(EnvironmentVariables.BookDocsDir, book.FullName);
            if (baseUrl is not null)
            {
                Environment.SetEnvironmentVariable(EnvironmentVariables.BookBaseUrl, baseUrl);
            }
        }

        try
        {
            var provider = services();
            // Expected pages are named by their source path: read from the book's folder (the configured one without --book).
            var folder = book?.FullName ?? provider.GetRequiredService<IOptions<BookOptions>>().Value.DocsFolder;
            var read = Directory.Exists(folder) ? await provider.GetRequiredService<BookSource>().ReadFolderAsync(folder, cancellationToken) : null;
            var pages = read?.Pages;
            // With --book, the throw-away index is built first; without it, so is an empty configured index (it would refuse
            // every question), from the configured book, as the service does when it starts.
            if (book is not null || (await provider.GetRequiredService<IVectorStore>().GetStatsAsync(cancellationToken)).Chunks == 0)
            {
                if (read is null)
                {
                    AnsiConsole.MarkupLine($"[red]The index is empty and there is no docs folder at '{Markup.Escape(folder)}': run ingest first, or pass --book.[/]");
                    return 2;
                }

                var report = Markup.Escape((await provider.GetRequiredService<IngestionService>().IngestAsync(read, complete: true, progress: null, cancellationToken)).ToString());
                AnsiConsole.MarkupLine(book is not null ? $"Indexed {report} into a throw-away index." : $"The index was empty: indexed {report}.");
            }

            IReadOnlyList<EvalRecord> records = [];
            await AnsiConsole.Progress().StartAsync(async context =>
            {
                var task = context.AddTask($"Asking {questions.Count} questions", maxValue: questions.Count);
                records = await provider.GetRequiredService<BookEvaluation>().RunAsync(
                    questions, pages, new Progress<int>(done => task.Value = done), cancellationToken);
                task.Value = task.MaxValue;
            });

            if (Console.IsOutputRedirected)
            {
                AnsiConsole.Profile.Width = 160;
            }

            AnsiConsole.Write(Table(EvalReport.Summarize(records)));
            if (output is not null)
            {
                await WriteAnswersAsync(output, records, cancellationToken);
                AnsiConsole.MarkupLine($"Answers written to {Markup.Escape(output.FullName)}.");
            }

            return 0;
        }
        catch (FormatException ex)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(ex.Message)}[/]");
            return 2;
        }
        finally
        {
            if (scratch is not null)
            {
                TryDelete(scratch);
            }
        }
    }

    /// <summary>The figures as a table, one row per kind of question and one for all.</summary>
    public static Table Table(IReadOnlyList<EvalFigures> figures)
    {
        var table = new Table().AddColumns(
            "kind", "questions", "page hit@5", "section hit@5", "key words", "noisy", "false refusals", "out-of-scope refused", "p50 ms", "p95 ms");
        foreach (var f in figures)
        {
            table.AddRow(
                f.Group, $"{f.Questions}", Percent(f.PageHit), Percent(f.SectionHit), Percent(f.KeywordCoverage), Percent(f.Noisy),
                Percent(f.FalseRefusals), Percent(f.OutOfScopeRefused), Ms(f.P50Ms), Ms(f.P95Ms));
        }

        return table;
    }

    private static string Percent(double? share) => share is { } s ? s.ToString("P1", CultureInfo.InvariantCulture) : "–";

    private static string Ms(double ms) => ms.ToString("F0", CultureInfo.InvariantCulture);

    private static async Task WriteAnswersAsync(FileInfo output, IReadOnlyList<EvalRecord> records, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(output.FullName);
        foreach (var r in records)
        {
            var line = new AnswerLine(
                r.Question.Question, r.Question.Kind, r.Answer.Mode, r.Answer.Answer, r.Answer.Sources.Select(s => s.Url).ToArray(), r.Retrieved,
                r.ExpectedPage, r.PageHit, r.SectionHit, r.KeywordCoverage, r.Noise, Math.Round(r.Signals.Score, 4),
                new EvidenceLine(Math.Round(r.Signals.Relevance, 4), Math.Round(r.Signals.Titled, 4), Math.Round(r.Signals.RareCoverage, 4), r.Signals.UnknownName),
                Math.Round(r.LatencyMs, 1));
            await writer.WriteLineAsync(JsonSerializer.Serialize(line, EvaluationJsonContext.Default.AnswerLine).AsMemory(), cancellationToken);
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
            // A file still open (SQLite's WAL on some systems): the temp folder keeps it.
        }
    }
}
