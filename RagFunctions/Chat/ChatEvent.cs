namespace RagFunctions.Chat;

/// <summary>
/// One event of an answer being made: <see cref="Token"/>s of its text as they are written, then <see cref="Done"/>
/// with the answer, always last and always once. <c>/chat</c> reads the events to the end; <c>/stream-chat</c> sends each.
/// </summary>
internal abstract record ChatEvent
{
    private ChatEvent()
    {
    }

    /// <summary>The answer sent whole: one token, then the answer.</summary>
    public static IEnumerable<ChatEvent> AtOnce(ChatAnswer answer) => [new Token(answer.Answer), new Done(answer)];

    /// <summary>The answer a word at a time (every token but the first starts with its space), then the answer.</summary>
    public static IEnumerable<ChatEvent> WordByWord(ChatAnswer answer)
    {
        var text = answer.Answer;
        var start = 0;
        for (var i = 1; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == ' ')
            {
                yield return new Token(text[start..i]);
                start = i;
            }
        }

        yield return new Done(answer);
    }

    /// <summary>A piece of the answer's text.</summary>
    public sealed record Token(string Text) : ChatEvent;

    /// <summary>The finished answer.</summary>
    public sealed record Done(ChatAnswer Answer) : ChatEvent;
}
