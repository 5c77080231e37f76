using Microsoft.Extensions.DependencyInjection;
using RagFunctions.Chat;
using RagFunctions.Retrieval.VectorStore;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Quality;

/// <summary>
/// Extractive answers (the embedded default, no language model) on the sample book's question set:
/// sources, key words in the answer, and refusals of questions the book does not answer.
/// </summary>
public sealed class ChatQualityTests
{
    [Fact]
    public async Task Extractive_CitesTheRightSection_AnswersWithTheKeyWords_AndRefusesOutOfScope()
    {
        await using var app = await SampleBookIndex.StartAppAsync();
        var chat = app.Services.GetRequiredService<ChatService>();
        var accepted = await AcceptedUrls.ForAsync(app.Services.GetRequiredService<IVectorStore>());
        var cancel = TestContext.Current.CancellationToken;

        int sourceHits = 0, allKeywords = 0, falseRefusals = 0;
        var misses = new List<string>();
        foreach (var question in QuestionSet.InScope)
        {
            var response = await AskAsync(chat, question.Question, cancel);
            falseRefusals += response.Mode == AnswerModes.Refusal ? 1 : 0;
            var prepared = response.Sources.Any(s => accepted[question].Contains(s.Url));
            sourceHits += prepared ? 1 : 0;
            var hasKeywords = question.Keywords.All(k => response.Answer.Contains(k, StringComparison.OrdinalIgnoreCase));
            allKeywords += hasKeywords ? 1 : 0;
            if (!hasKeywords)
            {
                misses.Add($"{question.Question} [{string.Join(" | ", question.Keywords)}] → {response.Mode}: {response.Answer}");
            }
        }

        var refusals = 0;
        foreach (var question in QuestionSet.OutOfScope)
        {
            var response = await AskAsync(chat, question, cancel);
            refusals += response.Mode == AnswerModes.Refusal ? 1 : 0;
            if (response.Mode != AnswerModes.Refusal)
            {
                misses.Add($"NOT REFUSED: {question} → {response.Answer}");
            }
        }

        var n = (double)QuestionSet.InScope.Count;
        var summary = $"extractive over {n} in-scope and {QuestionSet.OutOfScope.Count} out-of-scope questions: " +
                      $"sources hit {sourceHits / n:P1}, key words {allKeywords / n:P1}, false refusals {falseRefusals / n:P1}, " +
                      $"refusals of out-of-scope {refusals / (double)QuestionSet.OutOfScope.Count:P1}";
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        foreach (var miss in misses)
        {
            TestContext.Current.TestOutputHelper?.WriteLine(miss);
        }

        Assert.True(sourceHits / n >= 0.9, summary);
        Assert.True(allKeywords / n >= 0.7, summary);
        Assert.True(falseRefusals / n <= 0.1, summary);
        Assert.True(refusals / (double)QuestionSet.OutOfScope.Count >= 0.8, summary);
    }

    private static async Task<ChatAnswer> AskAsync(ChatService chat, string question, CancellationToken cancel)
    {
        var (query, errors) = ChatRequestValidator.Validate(new ChatRequest { Question = question });
        Assert.Null(errors);
        return await chat.AnswerAsync(await chat.PrepareAsync(query!, cancel), cancel);
    }
}
