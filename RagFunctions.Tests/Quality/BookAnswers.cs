using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using RagFunctions.Evaluation;
using RagFunctions.Ingestion;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Quality;

/// <summary>
/// Every book's question set asked once per test run through <see cref="BookEvaluation"/> (the <c>eval</c> command's
/// code), in the embedded default (no language model), with the evidence gate open (threshold 0) so that each answer
/// and each question's evidence signals are kept: the gate's weights and threshold are then applied afterwards, as
/// fitted on the other books.
/// </summary>
internal static class BookAnswers
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<EvalRecord>>>> Runs = new();

    public static Task<IReadOnlyList<EvalRecord>> ForAsync(string book)
        => Runs.GetOrAdd(book, b => new Lazy<Task<IReadOnlyList<EvalRecord>>>(() => RunAsync(b))).Value;

    private static async Task<IReadOnlyList<EvalRecord>> RunAsync(string book)
    {
        var open = new Dictionary<string, string?> { ["EVIDENCE_THRESHOLD"] = "0" };
        await using var app = book == QuestionSet.SampleBook ? await SampleBookIndex.StartAppAsync(open) : await CorpusIndex.StartAppAsync(book, open);
        await app.StartupIngestion;
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<BookOptions>>().Value;
        var pages = (await app.Services.GetRequiredService<BookSource>().ReadFolderAsync(options.DocsFolder, CancellationToken.None)).Pages;
        return await app.Services.GetRequiredService<BookEvaluation>().RunAsync(QuestionSet.For(book), pages, progress: null, CancellationToken.None);
    }
}
