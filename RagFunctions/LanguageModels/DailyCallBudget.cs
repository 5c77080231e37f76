using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using RagFunctions.Hosting;

namespace RagFunctions.LanguageModels;

/// <summary>
/// How many language-model calls this instance may make per UTC day (<c>LLM_DAILY_CALL_LIMIT</c>; 0 = no limit),
/// so that no visitor, however patient, drains the provider key. Chat past the budget answers extractively;
/// translation answers 429 until the next UTC day.
/// </summary>
internal sealed class DailyCallBudget(IOptions<LlmOptions> options, TimeProvider time)
{
    private readonly Lock gate = new();
    private DateOnly day;
    private int used;

    public int Limit => options.Value.DailyCallLimit;

    /// <summary>Calls made today (UTC).</summary>
    public int Used
    {
        get
        {
            lock (gate)
            {
                return day == Today() ? used : 0;
            }
        }
    }

    /// <summary>Takes one call from today's budget, or says how long until the budget is renewed.</summary>
    public bool TryTake(out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (Limit <= 0)
        {
            return true;
        }

        lock (gate)
        {
            var today = Today();
            if (today != day)
            {
                day = today;
                used = 0;
            }

            if (used < Limit)
            {
                used++;
                return true;
            }
        }

        var now = time.GetUtcNow();
        retryAfter = now.Date.AddDays(1) - now.UtcDateTime;
        return false;
    }

    private DateOnly Today() => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
}

/// <summary>Today's language-model budget is spent; <see cref="RetryAfter"/> is the time until it is renewed.</summary>
internal sealed class DailyBudgetExceededException(int limit, TimeSpan retryAfter)
    : ServiceFailureException(
        429,
        "Daily language-model budget spent",
        "This server has used today's budget of language-model calls. Answers and pages given before are still served; please try again tomorrow.",
        $"The daily budget of {limit} language-model calls is spent (renewed at 00:00 UTC)",
        retryAfter: retryAfter);

/// <summary>Every call to the language model, streaming or not, first takes one from the <see cref="DailyCallBudget"/>.</summary>
internal sealed class BudgetedChatClient(IChatClient inner, DailyCallBudget budget) : DelegatingChatClient(inner)
{
    public override Task<ChatResponse> GetResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Take();
        return base.GetResponseAsync(messages, options, cancellationToken);
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Take();
        return base.GetStreamingResponseAsync(messages, options, cancellationToken);
    }

    private void Take()
    {
        if (!budget.TryTake(out var retryAfter))
        {
            throw new DailyBudgetExceededException(budget.Limit, retryAfter);
        }
    }
}
