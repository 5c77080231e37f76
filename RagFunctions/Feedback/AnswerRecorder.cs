using Microsoft.Extensions.Logging;
using RagFunctions.Chat;
using RagFunctions.Hosting;

namespace RagFunctions.Feedback;

/// <summary>
/// Remembers every answer the chat produces (id, question, mode, nearest chapter, time; nothing about the reader) so
/// feedback can name it and refusals show up in the gap report: the chat's <see cref="IAnswerLog"/>. A failure to
/// record never fails the answer.
/// </summary>
internal sealed partial class AnswerRecorder(IFeedbackStore store, RagMetrics metrics, TimeProvider time, ILogger<AnswerRecorder> logger) : IAnswerLog
{
    public const int MaxQuestionLength = 500;

    public async Task RecordAsync(PreparedQuestion prepared, ChatAnswer answer, CancellationToken cancellationToken)
    {
        var refused = answer.Mode == AnswerModes.Refusal;
        if (refused)
        {
            metrics.Refused();
        }

        var nearest = prepared.Hits.Count > 0 ? prepared.Hits[0].Chunk : null;
        var question = prepared.Query.Question.Trim();
        var record = new AnswerRecord(
            answer.AnswerId,
            question.Length <= MaxQuestionLength ? question : question[..MaxQuestionLength],
            answer.Mode,
            nearest?.PageTitle,
            nearest?.PageUrl,
            time.GetUtcNow(),
            refused);
        try
        {
            await store.RecordAnswerAsync(record, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogNotRecorded(logger, ex.Message);
        }
    }

    [LoggerMessage(EventId = 6100, Level = LogLevel.Warning, Message = "Feedback store: the answer was not recorded: {Reason}")]
    private static partial void LogNotRecorded(ILogger logger, string reason);
}
