using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace RagFunctions.Chat;

/// <summary>
/// Turns a follow-up ("how do I install it?") into a question that stands on its own, so retrieval finds the
/// right sections: with the language model when there is one, else by carrying the previous question's subject.
/// </summary>
internal sealed partial class QuestionRewriter(ChatSettings settings, ILogger<QuestionRewriter> logger, IChatClient? chat = null)
{
    private static readonly HashSet<string> ReferringWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "it", "its", "it's", "this", "that", "these", "those", "they", "them", "their", "there", "he", "she", "his", "her",
        "one", "ones", "same", "such", "former", "latter", "above", "more", "else", "again", "also", "too",
    };

    public async Task<string> StandaloneAsync(string question, IReadOnlyList<ChatTurn> history, CancellationToken cancellationToken)
    {
        var previous = history.LastOrDefault(t => t.Role == "user")?.Content;
        if (previous is null || !LooksLikeFollowUp(question))
        {
            return question;
        }

        if (chat is not null)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(settings.RewriteTimeout);
                var rewritten = (await chat.GetResponseAsync(Prompt(question, history), new ChatOptions { Temperature = 0, MaxOutputTokens = 80 }, timeout.Token)).Text.Trim();
                if (rewritten.Length is > 3 and < 400)
                {
                    return rewritten;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogRewriteFailed(logger, ex.Message);
            }
        }

        return Heuristic(question, previous);
    }

    /// <summary>Short questions and questions that point back ("it", "that", …) depend on the conversation.</summary>
    internal static bool LooksLikeFollowUp(string question)
    {
        var words = TextTerms.Tokens(question).ToArray();
        return words.Length <= 4 || words.Any(ReferringWords.Contains);
    }

    /// <summary>The previous question's content words, appended: hybrid search then finds the shared subject.</summary>
    internal static string Heuristic(string question, string previous)
        => question + " (" + string.Join(' ', TextTerms.Terms(previous).Distinct(StringComparer.Ordinal).Take(12)) + ")";

    private static List<ChatMessage> Prompt(string question, IReadOnlyList<ChatTurn> history)
    {
        var conversation = string.Join('\n', history.TakeLast(6).Select(t => $"{t.Role}: {t.Content}"));
        return
        [
            new(ChatRole.System,
                "Rewrite the user's last question so that it can be understood without the conversation. " +
                "Keep its language and meaning; replace pronouns with what they refer to. Reply with the question only."),
            new(ChatRole.User, $"Conversation:\n{conversation}\n\nLast question: {question}"),
        ];
    }

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "Follow-up rewrite by the language model failed, using the heuristic: {Reason}")]
    private static partial void LogRewriteFailed(ILogger logger, string reason);
}
