using System.Text.Json;
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

/// <summary>The sample book's question set, with each expected page and section resolved to its URL.</summary>
internal static class QuestionSet
{
    private static readonly Lazy<(IReadOnlyList<InScopeQuestion> InScope, IReadOnlyList<string> OutOfScope)> Loaded = new(Load);

    public static IReadOnlyList<InScopeQuestion> InScope => Loaded.Value.InScope;

    public static IReadOnlyList<string> OutOfScope => Loaded.Value.OutOfScope;

    private static (IReadOnlyList<InScopeQuestion>, IReadOnlyList<string>) Load()
    {
        var docs = RepoFiles.Path("RagFunctions", "SampleBook", "docs");
        var pages = SampleBook.Read(docs);
        using var json = JsonDocument.Parse(RepoFiles.Read("RagFunctions.Tests", "Quality", "sample-book-questions.json"));
        var inScope = new List<InScopeQuestion>();
        foreach (var item in json.RootElement.GetProperty("in_scope").EnumerateArray())
        {
            var question = new InScopeQuestion(
                item.GetProperty("question").GetString()!,
                item.GetProperty("page").GetString()!,
                item.GetProperty("section").GetString()!,
                item.GetProperty("keywords").EnumerateArray().Select(k => k.GetString()!).ToArray());
            var page = pages.Single(p => Path.ChangeExtension(p.SourcePath, null) == question.Page);
            var section = question.Section.Length == 0 ? null : page.Sections.First(s => s.Heading == question.Section);
            inScope.Add(question with { PageUrl = page.PageUrl, SectionUrl = section is null ? page.PageUrl : DocusaurusSite.SectionUrl(page.PageUrl, section.Anchor) });
        }

        var outOfScope = json.RootElement.GetProperty("out_of_scope").EnumerateArray().Select(i => i.GetProperty("question").GetString()!).ToArray();
        return (inScope, outOfScope);
    }
}
