namespace RagFunctions.Feedback;

/// <summary>Groups refused and thumbs-down questions by nearest chapter, most frequent first: the site owner's to-do list.</summary>
internal static class GapReportBuilder
{
    public const string NoChapter = "(no nearby chapter)";

    public static GapReport Build(IReadOnlyList<AnswerRecord> answers, IReadOnlyList<FeedbackRecord> feedback, DateTimeOffset now)
    {
        var down = feedback.Where(f => f.Rating == Ratings.Down).ToLookup(f => f.AnswerId, StringComparer.Ordinal);
        var gaps = answers.Where(a => a.Refused || down.Contains(a.AnswerId)).ToList();
        var chapters = gaps
            .GroupBy(a => a.Chapter ?? NoChapter, StringComparer.Ordinal)
            .Select(chapter => new GapChapter(
                chapter.Key,
                chapter.Select(a => a.ChapterUrl).FirstOrDefault(u => u is not null),
                chapter.Count(),
                chapter
                    .GroupBy(a => Normalise(a.Question), StringComparer.Ordinal)
                    .Select(q => new GapQuestion(
                        q.OrderByDescending(a => a.At).First().Question,
                        q.Count(),
                        q.Count(a => a.Refused),
                        q.Sum(a => down[a.AnswerId].Count()),
                        q.Max(a => a.At),
                        q.SelectMany(a => down[a.AnswerId]).Select(f => f.Reason).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray()))
                    .OrderByDescending(q => q.Count).ThenByDescending(q => q.LastAsked)
                    .ToArray()))
            .OrderByDescending(c => c.Count).ThenBy(c => c.Chapter, StringComparer.Ordinal)
            .ToArray();
        return new GapReport(now, gaps.Count(a => a.Refused), gaps.Sum(a => down[a.AnswerId].Count()), chapters);
    }

    private static string Normalise(string question)
        => string.Join(' ', question.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries)).TrimEnd('?', '.', '!', ' ');
}
