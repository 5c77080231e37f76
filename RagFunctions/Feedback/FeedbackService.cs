using Microsoft.Extensions.Logging;
using RagFunctions.Hosting;
using RagFunctions.Retrieval;

namespace RagFunctions.Feedback;

/// <summary>Validates and stores readers' ratings; builds the gap report.</summary>
internal sealed partial class FeedbackService(
    IFeedbackStore store, BookCatalog catalog, RagMetrics metrics, TimeProvider time, ILogger<FeedbackService> logger)
{
    public const int MaxCommentLength = 1000;
    public const int MaxAnswerIdLength = 64;

    /// <summary>The rating to store, or the fields that break the rules.</summary>
    public static Validated<FeedbackRequest> Validate(FeedbackRequest request)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(request.AnswerId))
        {
            errors["answer_id"] = ["answer_id is required: the answer_id of the answer being rated."];
        }
        else if (request.AnswerId.Length > MaxAnswerIdLength || !request.AnswerId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            errors["answer_id"] = ["answer_id must be the answer_id a chat response returned."];
        }

        if (request.Rating is not (Ratings.Up or Ratings.Down))
        {
            errors["rating"] = ["rating must be 'up' or 'down'."];
        }

        if (request.Reason is not null && !Ratings.Reasons.Contains(request.Reason, StringComparer.Ordinal))
        {
            errors["reason"] = [$"reason must be one of: {string.Join(", ", Ratings.Reasons)}."];
        }

        if (request.Comment is { Length: > MaxCommentLength })
        {
            errors["comment"] = [$"comment must be at most {MaxCommentLength} characters."];
        }

        return errors.Count == 0 ? request : RequestProblem.Invalid(errors);
    }

    /// <summary>Null when the answer is unknown (never recorded, or forgotten).</summary>
    public async Task<FeedbackAccepted?> SubmitAsync(FeedbackRequest request, CancellationToken cancellationToken)
    {
        var answer = await store.FindAnswerAsync(request.AnswerId!, cancellationToken);
        if (answer is null)
        {
            LogUnknownAnswer(logger);
            return null;
        }

        var comment = string.IsNullOrWhiteSpace(request.Comment) ? null : request.Comment.Trim();
        var feedback = new FeedbackRecord(Guid.NewGuid().ToString("N"), answer.AnswerId, request.Rating!, request.Reason, comment, time.GetUtcNow());
        await store.AddFeedbackAsync(feedback, cancellationToken);
        metrics.Rated(feedback.Rating);
        LogRated(logger, feedback.Rating, feedback.Reason ?? "none", answer.Mode, answer.Chapter ?? GapReportBuilder.NoChapter);
        return new FeedbackAccepted(feedback.FeedbackId, answer.AnswerId);
    }

    /// <summary>
    /// The gap report of the book the index holds now: answers whose nearest chapter is no longer a page of the index
    /// (a re-index replaced the book, or dropped the page) are left out and only counted; chapters take their current title.
    /// </summary>
    public async Task<GapReport> ReportAsync(CancellationToken cancellationToken)
    {
        var (answers, feedback) = await store.ReadGapsAsync(cancellationToken);
        var pages = (await catalog.GetPagesAsync(cancellationToken)).ToDictionary(p => p.PageUrl, p => p.Title, StringComparer.Ordinal);
        var current = answers
            .Where(a => a.ChapterUrl is null || pages.ContainsKey(a.ChapterUrl))
            .Select(a => a.ChapterUrl is { } url ? a with { Chapter = pages[url] } : a)
            .ToList();
        return GapReportBuilder.Build(current, feedback, time.GetUtcNow()) with { NotIndexed = answers.Count - current.Count };
    }

    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Feedback: rated {Rating} (reason {Reason}) on an answer ({Mode}) near '{Chapter}'")]
    private static partial void LogRated(ILogger logger, string rating, string reason, string mode, string chapter);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Information, Message = "Feedback: unknown answer_id (never recorded or already forgotten)")]
    private static partial void LogUnknownAnswer(ILogger logger);
}
