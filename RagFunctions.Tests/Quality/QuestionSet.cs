using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
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

/// <summary>A book's question set: questions it answers (with the expected section) and questions it does not.</summary>
internal sealed record BookQuestions(string Book, IReadOnlyList<InScopeQuestion> InScope, IReadOnlyList<string> OutOfScope);

/// <summary>
/// The question sets, with each expected page and section resolved to its URL: the sample book's
/// (<c>sample-book-questions.json</c>) and one per real book of <see cref="Corpora"/> (<c>corpus-a-questions.json</c>, …).
/// </summary>
internal static class QuestionSet
{
    public const string SampleBook = "sample-book";

    private static readonly ConcurrentDictionary<string, Lazy<BookQuestions>> Loaded = new();

    /// <summary>The sample book's in-scope questions.</summary>
    public static IReadOnlyList<InScopeQuestion> InScope => For(SampleBook).InScope;

    /// <summary>The sample book's out-of-scope questions.</summary>
    public static IReadOnlyList<string> OutOfScope => For(SampleBook).OutOfScope;

    public static BookQuestions For(string book) => Loaded.GetOrAdd(book, b => new Lazy<BookQuestions>(() => Load(b))).Value;

    private static BookQuestions Load(string book)
    {
        var pages = book == SampleBook
            ? Support.SampleBook.Read(RepoFiles.Path("RagFunctions", "SampleBook", "docs"))
            : new MarkdownBookReader(new DocusaurusSite(Corpora.BaseUrl(book)), NullLogger<MarkdownBookReader>.Instance)
                .ReadAsync(Corpora.Docs(book), CancellationToken.None).GetAwaiter().GetResult();
        using var json = JsonDocument.Parse(RepoFiles.Read("RagFunctions.Tests", "Quality", $"{book}-questions.json"));
        var inScope = new List<InScopeQuestion>();
        foreach (var item in json.RootElement.GetProperty("in_scope").EnumerateArray())
        {
            var question = new InScopeQuestion(
                item.GetProperty("question").GetString()!,
                item.GetProperty("page").GetString()!,
                item.GetProperty("section").GetString()!,
                item.GetProperty("keywords").EnumerateArray().Select(k => k.GetString()!).ToArray());
            var page = pages.SingleOrDefault(p => Path.ChangeExtension(p.SourcePath, null) == question.Page)
                       ?? throw new InvalidOperationException($"{book}: no page '{question.Page}' for \"{question.Question}\"");
            var section = question.Section.Length == 0
                ? null
                : page.Sections.FirstOrDefault(s => s.Heading == question.Section)
                  ?? throw new InvalidOperationException($"{book}: page '{question.Page}' has no section '{question.Section}'");
            inScope.Add(question with { PageUrl = page.PageUrl, SectionUrl = section is null ? page.PageUrl : DocusaurusSite.SectionUrl(page.PageUrl, section.Anchor) });
        }

        var outOfScope = json.RootElement.GetProperty("out_of_scope").EnumerateArray().Select(i => i.GetProperty("question").GetString()!).ToArray();
        return new BookQuestions(book, inScope, outOfScope);
    }
}
