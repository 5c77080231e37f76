using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace RagFunctions.Feedback;

/// <summary><c>report</c>: what readers asked that the book could not answer, by nearest chapter, with counts.</summary>
internal static class ReportCommand
{
    public static Command Create(Func<IServiceProvider> services)
    {
        var command = new Command("report", "Print what readers asked that the book could not answer (refusals and thumbs-down), by nearest chapter.");
        command.SetAction((_, cancellationToken) => RunAsync(services(), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var report = await services.GetRequiredService<FeedbackService>().ReportAsync(cancellationToken);
        AnsiConsole.MarkupLine($"[bold]Coverage gaps[/]: {report.Refused} refused, {report.ThumbsDown} thumbs-down.");
        if (report.NotIndexed > 0)
        {
            AnsiConsole.MarkupLine($"{report.NotIndexed} answers left out: their chapter is no longer a page of the index.");
        }

        if (report.Chapters.Count == 0)
        {
            AnsiConsole.MarkupLine("Nothing yet: no refusals and no thumbs-down.");
            return 0;
        }

        foreach (var chapter in report.Chapters)
        {
            AnsiConsole.WriteLine();
            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(chapter.Chapter)}[/] ({chapter.Count}){(chapter.Url is null ? "" : " " + Markup.Escape(chapter.Url))}");
            var table = new Table().AddColumns("count", "refused", "down", "question", "reasons", "last asked");
            foreach (var question in chapter.Questions)
            {
                table.AddRow(
                    $"{question.Count}", $"{question.Refused}", $"{question.ThumbsDown}", Markup.Escape(question.Question),
                    Markup.Escape(string.Join(", ", question.Reasons)), question.LastAsked.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
        }

        return 0;
    }
}
