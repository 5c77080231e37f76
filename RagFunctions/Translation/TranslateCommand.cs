using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using RagFunctions.Hosting;
using Spectre.Console;

namespace RagFunctions.Translation;

/// <summary>
/// <c>translate --all --lang ur</c>: pre-translates every indexed page with a progress bar, so readers always hit the
/// cache. Resumable: sections already in the cache are not sent again. Parallelism is <c>TRANSLATION_MAX_PARALLEL</c>;
/// a page refused for the provider's rate limit is tried again after a pause.
/// </summary>
internal static class TranslateCommand
{
    public static Command Create(Func<IServiceProvider> services)
    {
        var all = new Option<bool>("--all") { Description = "Translate every page of the index (required: single pages are translated on request)." };
        var lang = new Option<string>("--lang")
        {
            Description = "Target language: urdu/ur (default), or another supported name or ISO code such as arabic/ar or hindi/hi.",
            DefaultValueFactory = _ => TargetLanguage.Urdu.Code,
        };
        var pause = new Option<int>("--rate-limit-pause")
        {
            Description = "Seconds to wait before trying a page again when the provider answers 429.",
            DefaultValueFactory = _ => 30,
        };
        var command = new Command("translate", "Pre-translate the whole book into a language (resumable: the section cache makes it so).") { all, lang, pause };
        command.SetAction((parsed, cancellationToken) =>
            RunAsync(services, parsed.GetValue(all), parsed.GetValue(lang)!, TimeSpan.FromSeconds(Math.Max(0, parsed.GetValue(pause))), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(Func<IServiceProvider> services, bool all, string lang, TimeSpan pause, CancellationToken cancellationToken)
    {
        if (!all)
        {
            AnsiConsole.MarkupLine("[red]Say --all to pre-translate the whole book[/] (single pages are translated when a reader asks: POST /translate).");
            return 1;
        }

        if (!TargetLanguage.TryParse(lang, out var language))
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(TranslateRequestValidator.UnknownLanguage(lang))}[/]");
            return 1;
        }

        var translation = services().GetRequiredService<TranslationService>();
        if (translation.Model is null)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(NoTranslationProviderException.Sentence)}[/]");
            return 1;
        }

        PretranslateReport report = null!;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"Translating into {language.Name} with {Markup.Escape(translation.Model)}", maxValue: 1);
                var progress = new Progress<(int Done, int Total)>(p =>
                {
                    task.MaxValue = Math.Max(1, p.Total);
                    task.Value = p.Done;
                });
                report = await translation.PretranslateAsync(language, pause, progress, cancellationToken);
                task.Value = task.MaxValue;
            });

        var table = new Table().AddColumns("language", "model", "pages", "sections", "translated", "from cache", "left in English", "failed pages", "seconds");
        table.AddRow(report.TargetLanguage, Markup.Escape(report.Model), $"{report.Pages}", $"{report.Sections}", $"{report.Translated}",
            $"{report.FromCache}", $"{report.Untranslated}", $"{report.FailedPages}", $"{report.Seconds:F1}");
        AnsiConsole.Write(table);
        if (report.FailedPages > 0)
        {
            AnsiConsole.MarkupLine($"[yellow]{report.FailedPages} pages failed (provider busy or down); run the command again to finish them — translated sections are kept.[/]");
        }

        return report.FailedPages == 0 ? 0 : 2;
    }
}
