namespace RagFunctions.Feedback;

/// <summary>
/// Answers (briefly) and readers' ratings, stored next to the index: a SQLite file in <c>RAG_DATA_DIR</c>, or a Qdrant
/// collection <c>&lt;COLLECTION_NAME&gt;_feedback</c> when <c>QDRANT_URL</c> is set (instances stay stateless).
/// </summary>
internal interface IFeedbackStore
{
    Task RecordAnswerAsync(AnswerRecord answer, CancellationToken cancellationToken);

    Task<AnswerRecord?> FindAnswerAsync(string answerId, CancellationToken cancellationToken);

    Task AddFeedbackAsync(FeedbackRecord feedback, CancellationToken cancellationToken);

    /// <summary>Refused answers, and answers rated down with their ratings: the raw material of the gap report.</summary>
    Task<(IReadOnlyList<AnswerRecord> Answers, IReadOnlyList<FeedbackRecord> Feedback)> ReadGapsAsync(CancellationToken cancellationToken);
}
