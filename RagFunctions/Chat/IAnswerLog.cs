namespace RagFunctions.Chat;

/// <summary>
/// Where every answer is noted once it is made, for readers' feedback and the gap report. The chat only calls it;
/// another capability provides it (Feedback), else nothing is noted. Noting an answer must never fail it.
/// </summary>
internal interface IAnswerLog
{
    Task RecordAsync(PreparedQuestion prepared, ChatAnswer answer, CancellationToken cancellationToken);
}

/// <summary>The answer log when no capability keeps one.</summary>
internal sealed class NoAnswerLog : IAnswerLog
{
    public Task RecordAsync(PreparedQuestion prepared, ChatAnswer answer, CancellationToken cancellationToken) => Task.CompletedTask;
}
