using Microsoft.Extensions.DependencyInjection;
using RagFunctions.Chat;
using RagFunctions.Retrieval;
using RagFunctions.Retrieval.VectorStore;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Quality;

/// <summary>
/// The evidence gate and retrieval on three books, each with its own question set (in-scope questions with their
/// expected section, typos and two-word questions among them, and out-of-scope ones: robotics topics the book does
/// not cover and general questions): extractive answers (no language model), asked as a reader would.
/// </summary>
public sealed class BookQualityTests
{
    [Theory]
    [InlineData(QuestionSet.SampleBook)]
    [InlineData(Corpora.A)]
    [InlineData(Corpora.B)]
    public async Task EveryBook_FewFalseRefusals_MostOutOfScopeRefused_ExpectedSectionRetrieved(string book)
    {
        await using var app = book == QuestionSet.SampleBook ? await SampleBookIndex.StartAppAsync() : await CorpusIndex.StartAppAsync(book);
        await app.StartupIngestion;
        var set = QuestionSet.For(book);
        var chat = app.Services.GetRequiredService<ChatService>();
        var retriever = app.Services.GetRequiredService<Retriever>();
        var accepted = await AcceptedUrls.ForAsync(app.Services.GetRequiredService<IVectorStore>(), set.InScope);
        var cancel = TestContext.Current.CancellationToken;

        int falseRefusals = 0, hits = 0, refused = 0, denseHits = 0, keywordHits = 0, sourceHits = 0, allKeywords = 0;
        var notes = new List<string>();
        foreach (var question in set.InScope)
        {
            var prepared = await PrepareAsync(chat, question.Question, cancel);
            var answer = await chat.AnswerAsync(prepared, cancel);
            var found = (await retriever.SearchAsync(question.Question, 5, null, cancel)).Any(h => accepted[question].Contains(h.Chunk.Url));
            hits += found ? 1 : 0;
            denseHits += (await retriever.SearchAsync(question.Question, 5, null, cancel, SearchMode.Dense)).Any(h => accepted[question].Contains(h.Chunk.Url)) ? 1 : 0;
            keywordHits += (await retriever.SearchAsync(question.Question, 5, null, cancel, SearchMode.Keyword)).Any(h => accepted[question].Contains(h.Chunk.Url)) ? 1 : 0;
            var cited = answer.Sources.Any(s => accepted[question].Contains(s.Url));
            sourceHits += cited ? 1 : 0;
            allKeywords += question.Keywords.All(k => answer.Answer.Contains(k, StringComparison.OrdinalIgnoreCase)) ? 1 : 0;
            if (answer.Mode == AnswerModes.Refusal)
            {
                falseRefusals++;
                notes.Add($"REFUSED ({prepared.EvidenceScore:F3}): {question.Question}");
            }

            if (!found)
            {
                notes.Add($"NOT IN TOP 5: {question.Question}");
            }

            if (!cited && answer.Mode != AnswerModes.Refusal)
            {
                notes.Add($"NOT AMONG THE SOURCES: {question.Question}");
            }
        }

        foreach (var question in set.OutOfScope)
        {
            var prepared = await PrepareAsync(chat, question, cancel);
            var answer = await chat.AnswerAsync(prepared, cancel);
            refused += answer.Mode == AnswerModes.Refusal ? 1 : 0;
            if (answer.Mode != AnswerModes.Refusal)
            {
                notes.Add($"ANSWERED ({prepared.EvidenceScore:F3}): {question}");
            }
        }

        var n = (double)set.InScope.Count;
        var summary = $"{book}: {set.InScope.Count} in-scope, {set.OutOfScope.Count} out-of-scope questions; " +
                      $"false refusals {falseRefusals} ({falseRefusals / n:P1}), out-of-scope refused {refused} ({refused / (double)set.OutOfScope.Count:P1}), " +
                      $"hybrid hit@5 {hits / n:P1} (dense {denseHits / n:P1}, keyword {keywordHits / n:P1}); " +
                      $"extractive: expected section among the sources {sourceHits / n:P1}, all key words {allKeywords / n:P1}";
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        notes.ForEach(note => TestContext.Current.TestOutputHelper?.WriteLine(note));

        Assert.True(falseRefusals / n <= 0.03, summary + "\n" + string.Join('\n', notes));
        Assert.True(refused / (double)set.OutOfScope.Count >= 0.9, summary + "\n" + string.Join('\n', notes));
        Assert.True(hits / n >= 0.9, summary + "\n" + string.Join('\n', notes));
    }

    private static async Task<PreparedQuestion> PrepareAsync(ChatService chat, string question, CancellationToken cancel)
    {
        var (query, errors) = ChatRequestValidator.Validate(new ChatRequest { Question = question });
        Assert.Null(errors);
        return await chat.PrepareAsync(query!, cancel);
    }
}
