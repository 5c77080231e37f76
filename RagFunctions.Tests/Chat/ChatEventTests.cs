using RagFunctions.Chat;

namespace RagFunctions.Tests.Chat;

/// <summary>The events an answer is sent as: tokens that add up to its text, then the answer itself, once and last.</summary>
public sealed class ChatEventTests
{
    [Theory]
    [InlineData("A topic is a named stream of messages [1].")]
    [InlineData("Two  spaces and a trailing one ")]
    [InlineData("One")]
    public void WordByWord_TokensAddUpToTheAnswer_OneAWord_ThenTheAnswerLast(string text)
    {
        var answer = Answer(text);

        var events = ChatEvent.WordByWord(answer).ToArray();

        Assert.Same(answer, Assert.IsType<ChatEvent.Done>(events[^1]).Answer);
        var tokens = events[..^1].Select(e => Assert.IsType<ChatEvent.Token>(e).Text).ToArray();
        Assert.Equal(text, string.Concat(tokens));
        Assert.Equal(text.Count(c => c == ' ') + 1, tokens.Length);
        Assert.All(tokens[1..], token => Assert.StartsWith(" ", token, StringComparison.Ordinal));
    }

    [Fact]
    public void AtOnce_IsTheWholeTextAsOneToken_ThenTheAnswer()
    {
        var answer = Answer("The book does not seem to cover this.");

        var events = ChatEvent.AtOnce(answer).ToArray();

        Assert.Equal(2, events.Length);
        Assert.Equal(answer.Answer, Assert.IsType<ChatEvent.Token>(events[0]).Text);
        Assert.Same(answer, Assert.IsType<ChatEvent.Done>(events[1]).Answer);
    }

    private static ChatAnswer Answer(string text) => new(text, [], "id", AnswerModes.Extractive, true, false, [], [], 0);
}
