namespace RagFunctions.Feedback;

/// <summary>The body of <c>POST /feedback</c>.</summary>
internal sealed record FeedbackRequest(string? AnswerId, string? Rating, string? Reason, string? Comment);

/// <summary>What <c>POST /feedback</c> answers.</summary>
internal sealed record FeedbackAccepted(string FeedbackId, string AnswerId);

/// <summary>An answer as remembered for feedback and the gap report: the question, never the reader.</summary>
/// <param name="Chapter">Title of the page of the nearest passage, or null when the index gave nothing.</param>
/// <param name="ChapterUrl">URL of that page.</param>
internal sealed record AnswerRecord(
    string AnswerId, string Question, string Mode, string? Chapter, string? ChapterUrl, DateTimeOffset At, bool Refused);

internal sealed record FeedbackRecord(string FeedbackId, string AnswerId, string Rating, string? Reason, string? Comment, DateTimeOffset At);

/// <summary>What readers asked that the book could not answer, by nearest chapter, most frequent first.</summary>
internal sealed record GapReport(DateTimeOffset GeneratedAt, int Refused, int ThumbsDown, IReadOnlyList<GapChapter> Chapters)
{
    /// <summary>Answers left out because their nearest chapter is no longer a page of the index (another book, a removed page).</summary>
    public int NotIndexed { get; init; }
}

internal sealed record GapChapter(string Chapter, string? Url, int Count, IReadOnlyList<GapQuestion> Questions);

/// <param name="Reasons">The thumbs-down reasons given, if any.</param>
internal sealed record GapQuestion(string Question, int Count, int Refused, int ThumbsDown, DateTimeOffset LastAsked, IReadOnlyList<string> Reasons);

internal static class Ratings
{
    public const string Up = "up";
    public const string Down = "down";

    public static readonly IReadOnlyList<string> Reasons = ["incorrect", "not_what_i_asked", "incomplete", "slow", "other"];
}
