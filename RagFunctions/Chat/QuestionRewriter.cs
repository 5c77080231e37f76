using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using RagFunctions.Retrieval.Text;

namespace RagFunctions.Chat;

/// <summary>
/// Turns a follow-up ("how do I install it?") into a question that stands on its own, so retrieval finds the
/// right sections: with the language model when there is one, else by carrying the previous question's subject.
/// A question in Urdu (or Roman Urdu) is rewritten into English in the same call, because the book, the keyword
/// index and the local embedding model are English; offline, Roman Urdu loses its Urdu function words instead.
/// </summary>
internal sealed partial class QuestionRewriter(ChatPipelineOptions settings, ILogger<QuestionRewriter> logger, IChatClient? chat = null)
{
    private static readonly HashSet<string> ReferringWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "it", "its", "it's", "this", "that", "these", "those", "they", "them", "their", "there", "he", "she", "his", "her",
        "one", "ones", "same", "such", "former", "latter", "above", "more", "else", "again", "also", "too",
    };

    public Task<string> StandaloneAsync(string question, IReadOnlyList<ChatTurn> history, CancellationToken cancellationToken)
        => StandaloneAsync(question, history, QuestionLanguage.English, cancellationToken);

    /// <summary>The question as retrieval should search it: standing on its own, and in English when it was not.</summary>
    public async Task<string> StandaloneAsync(string question, IReadOnlyList<ChatTurn> history, QuestionLanguage language, CancellationToken cancellationToken)
    {
        var previous = history.LastOrDefault(t => t.Role == "user")?.Content;
        var followUp = previous is not null && LooksLikeFollowUp(question);
        if (!followUp && !language.NeedsEnglish)
        {
            return question;
        }

        if (chat is not null)
        {
            try
            {
                var rewritten = await AskAsync(Prompt(question, history, language.NeedsEnglish), cancellationToken);
                if (Usable(rewritten, language))
                {
                    return rewritten;
                }

                if (language.NeedsEnglish)
                {
                    // Any model may answer in the question's language: asked once more, strictly; after that the
                    // question is matched offline (by its English loanwords), never refused for want of a model.
                    LogRewriteNotEnglish(logger);
                    rewritten = await AskAsync(StrictPrompt(question, history), cancellationToken);
                    if (Usable(rewritten, language))
                    {
                        return rewritten;
                    }

                    LogRewriteNotEnglish(logger);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogRewriteFailed(logger, ex.Message);
            }
        }

        var searchable = language.Script == QuestionScript.RomanUrdu ? QuestionLanguage.WithoutRomanUrdu(question) : question;
        return followUp ? Heuristic(searchable, previous!) : searchable;
    }

    /// <summary>A rewrite that retrieval can search: of a sensible length, and in English when English was asked for.</summary>
    private static bool Usable(string rewritten, QuestionLanguage language)
        => rewritten.Length is > 3 and < 400
           && (!language.NeedsEnglish || QuestionLanguage.IsMostlyLatin(rewritten) && QuestionLanguage.Detect(rewritten, null).Script == QuestionScript.English);

    private async Task<string> AskAsync(List<ChatMessage> prompt, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.RewriteTimeout);
        return (await chat!.GetResponseAsync(prompt, new ChatOptions { Temperature = 0, MaxOutputTokens = 80 }, timeout.Token)).Text.Trim();
    }

    /// <summary>The second try, when the first rewrite did not come back in English.</summary>
    private static List<ChatMessage> StrictPrompt(string question, IReadOnlyList<ChatTurn> history)
    {
        var conversation = string.Join('\n', history.TakeLast(6).Select(t => $"{t.Role}: {t.Content}"));
        return
        [
            new(ChatRole.System,
                "Translate the user's last question into English. Write it in English only, in Latin letters: never in Urdu, " +
                "Roman Urdu or any other language, even though the question is not in English. Keep technical terms, commands " +
                "and names as they are (in Latin letters), and replace pronouns with what they refer to. Reply with the English question only."),
            new(ChatRole.User, conversation.Length == 0 ? $"Question: {question}" : $"Conversation:\n{conversation}\n\nLast question: {question}"),
        ];
    }

    /// <summary>Short questions and questions that point back ("it", "that", …) depend on the conversation.</summary>
    internal static bool LooksLikeFollowUp(string question)
    {
        var words = TextAnalyzer.Words(question).ToArray();
        return words.Length <= 4 || words.Any(ReferringWords.Contains);
    }

    /// <summary>The previous question's content words, appended: hybrid search then finds the shared subject.</summary>
    internal static string Heuristic(string question, string previous)
        => question + " (" + string.Join(' ', TextAnalyzer.Terms(previous).Distinct(StringComparer.Ordinal).Take(12)) + ")";

    private static List<ChatMessage> Prompt(string question, IReadOnlyList<ChatTurn> history, bool toEnglish)
    {
        var conversation = string.Join('\n', history.TakeLast(6).Select(t => $"{t.Role}: {t.Content}"));
        return
        [
            new(ChatRole.System,
                "Rewrite the user's last question so that it can be understood without the conversation. " +
                (toEnglish
                    ? "Write it in English, to search an English textbook: translate it, keep its meaning and keep technical terms, commands and names as they are; "
                    : "Keep its language and meaning; ") +
                "replace pronouns with what they refer to. Reply with the question only."),
            new(ChatRole.User, conversation.Length == 0 ? $"Question: {question}" : $"Conversation:\n{conversation}\n\nLast question: {question}"),
        ];
    }

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "The language model's rewrite of a question was not in English")]
    private static partial void LogRewriteNotEnglish(ILogger logger);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "Follow-up rewrite by the language model failed, using the heuristic: {Reason}")]
    private static partial void LogRewriteFailed(ILogger logger, string reason);
}
