using Microsoft.Extensions.DependencyInjection;
using RagFunctions.Retrieval;
using RagFunctions.Retrieval.VectorStore;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Quality;

/// <summary>Retrieval on the sample book's question set: does the expected section come back in the top five?</summary>
public sealed class RetrievalQualityTests
{
    [Fact]
    public async Task Hybrid_FindsTheExpectedSectionForNineInTen_AndBeatsDenseOnlyAndKeywordOnly()
    {
        await using var app = await SampleBookIndex.StartAppAsync();
        var retriever = app.Services.GetRequiredService<Retriever>();
        var accepted = await AcceptedUrls.ForAsync(app.Services.GetRequiredService<IVectorStore>());

        var rates = new Dictionary<SearchMode, double>();
        foreach (var mode in new[] { SearchMode.Hybrid, SearchMode.Dense, SearchMode.Keyword })
        {
            var hits = 0;
            foreach (var question in QuestionSet.InScope)
            {
                var results = await retriever.SearchAsync(question.Question, 5, null, TestContext.Current.CancellationToken, mode);
                hits += results.Any(r => accepted[question].Contains(r.Chunk.Url)) ? 1 : 0;
            }

            rates[mode] = hits / (double)QuestionSet.InScope.Count;
        }

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"hit@5 over {QuestionSet.InScope.Count} questions: hybrid {rates[SearchMode.Hybrid]:P1}, dense {rates[SearchMode.Dense]:P1}, keyword {rates[SearchMode.Keyword]:P1}");
        Assert.True(rates[SearchMode.Hybrid] >= 0.9, $"hybrid hit@5 {rates[SearchMode.Hybrid]:P1} < 90%");
        Assert.True(rates[SearchMode.Hybrid] > rates[SearchMode.Dense], $"hybrid {rates[SearchMode.Hybrid]:P1} does not beat dense {rates[SearchMode.Dense]:P1}");
        Assert.True(rates[SearchMode.Hybrid] > rates[SearchMode.Keyword], $"hybrid {rates[SearchMode.Hybrid]:P1} does not beat keyword {rates[SearchMode.Keyword]:P1}");
    }
}

/// <summary>
/// The URLs that count as "the expected section": the section itself, its subsections (their title path
/// holds the heading) and a chunk it was merged into (its text holds the heading).
/// </summary>
internal static class AcceptedUrls
{
    public static Task<IReadOnlyDictionary<InScopeQuestion, HashSet<string>>> ForAsync(IVectorStore store)
        => ForAsync(store, QuestionSet.InScope);

    public static async Task<IReadOnlyDictionary<InScopeQuestion, HashSet<string>>> ForAsync(IVectorStore store, IReadOnlyList<InScopeQuestion> questions)
    {
        var result = new Dictionary<InScopeQuestion, HashSet<string>>();
        foreach (var question in questions)
        {
            var chunks = await store.GetPageAsync(question.PageUrl, TestContext.Current.CancellationToken);
            Assert.True(chunks.Count > 0, $"page {question.PageUrl} is not in the index");
            var urls = chunks
                .Where(c => c.Url == question.SectionUrl
                            || question.Section.Length > 0 && (c.TitlePath.Skip(1).Contains(question.Section) || c.Text.Contains(question.Section, StringComparison.Ordinal)))
                .Select(c => c.Url)
                .ToHashSet(StringComparer.Ordinal);
            urls.Add(question.SectionUrl);
            result[question] = urls;
        }

        return result;
    }
}
