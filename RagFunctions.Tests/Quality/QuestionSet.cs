using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using RagFunctions.Evaluation;
using RagFunctions.Ingestion;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Quality;

internal sealed record InScopeQuestion(string Question, string Page, string Section, IReadOnlyList<string> Keywords)
{
    /// <summary>Absolute URL of the expected page (Docusaurus rules applied to the file path).</summary>
    public string PageUrl { get; init; } = "";

    /// <summary>Absolute URL with the expected section's anchor (the page URL for the lead text).</summary>
    public string SectionUrl { get; init; } = "";
}

/// <summary>
/// The question sets (the format <c>eval</c> reads): the sample book's, shipped with it
/// (<c>RagFunctions/SampleBook/questions.jsonl</c>), and one per real book of <see cref="Corpora"/>
/// (<c>Quality/Questions/corpus-a.jsonl</c>, …), each written by reading that book.
/// </summary>
internal static class QuestionSet
{
    public const string SampleBook = "sample-book";

    /// <summary>Every book with a question set: the sample book, then the real books.</summary>
    public static readonly IReadOnlyList<string> Books = [SampleBook, .. Corpora.All];

    private static readonly ConcurrentDictionary<string, Lazy<IReadOnlyList<InScopeQuestion>>> Resolved = new();

    /// <summary>The sample book's in-scope questions, with their expected page and section URLs.</summary>
    public static IReadOnlyList<InScopeQuestion> InScope => Resolved.GetOrAdd(SampleBook, b => new(() => Resolve(b))).Value;

    public static string PathOf(string book) => book == SampleBook
        ? RepoFiles.Path("RagFunctions", "SampleBook", "questions.jsonl")
        : RepoFiles.Path("RagFunctions.Tests", "Quality", "Questions", $"{book}.jsonl");

    public static IReadOnlyList<EvalQuestion> For(string book) => QuestionFile.Read(PathOf(book));

    private static IReadOnlyList<InScopeQuestion> Resolve(string book)
    {
        var pages = book == SampleBook
            ? Support.SampleBook.Read(RepoFiles.Path("RagFunctions", "SampleBook", "docs"))
            : new MarkdownBookReader(new DocusaurusSite(new Uri(Corpora.BaseUrl(book)), Corpora.DocsRoute(book)), NullLogger<MarkdownBookReader>.Instance)
                .ReadAsync(Corpora.Docs(book), CancellationToken.None).GetAwaiter().GetResult();
        var result = new List<InScopeQuestion>();
        foreach (var question in For(book).Where(q => q.InScope))
        {
            var page = pages.SingleOrDefault(p => Path.ChangeExtension(p.SourcePath, null) == question.Page)
                       ?? throw new InvalidOperationException($"{book}: no page '{question.Page}' for \"{question.Question}\"");
            var section = question.Heading.Length == 0
                ? null
                : page.Sections.FirstOrDefault(s => s.Heading == question.Heading)
                  ?? throw new InvalidOperationException($"{book}: page '{question.Page}' has no section '{question.Heading}'");
            result.Add(new InScopeQuestion(question.Question, question.Page!, question.Heading, question.Keywords)
            {
                PageUrl = page.PageUrl,
                SectionUrl = section is null ? page.PageUrl : DocusaurusSite.SectionUrl(page.PageUrl, section.Anchor),
            });
        }

        return result;
    }
}
