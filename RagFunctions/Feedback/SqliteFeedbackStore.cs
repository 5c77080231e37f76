using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using RagFunctions.Retrieval.VectorStore.Sqlite;

namespace RagFunctions.Feedback;

/// <summary>
/// <c>&lt;RAG_DATA_DIR&gt;/feedback.db</c>, a file of its own so re-indexing (which may delete <c>index.db</c>) keeps it.
/// Answers nobody rated and that were not refusals are forgotten after <see cref="KeepAnswersFor"/>.
/// </summary>
internal sealed class SqliteFeedbackStore : IFeedbackStore, IDisposable
{
    public const string FileName = "feedback.db";
    public static readonly TimeSpan KeepAnswersFor = TimeSpan.FromDays(7);

    private static readonly SqliteSchemaDefinition Schema = new("feedback database", 1, """
        CREATE TABLE IF NOT EXISTS answers (
            answer_id TEXT PRIMARY KEY, question TEXT NOT NULL, mode TEXT NOT NULL, chapter TEXT, chapter_url TEXT,
            at TEXT NOT NULL, refused INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS answers_at ON answers (at);
        CREATE TABLE IF NOT EXISTS feedback (
            feedback_id TEXT PRIMARY KEY, answer_id TEXT NOT NULL, rating TEXT NOT NULL, reason TEXT, comment TEXT, at TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS feedback_answer ON feedback (answer_id);
        """, "move it aside (its ratings are then no longer reported)", "restart the app");

    private readonly SqliteDatabase database;

    public SqliteFeedbackStore(IOptions<SqliteStoreOptions> options)
        => database = new SqliteDatabase(Path.Combine(options.Value.DataDirectory, FileName), Schema, options.Value);

    public string DatabasePath => database.Path;

    public Task RecordAnswerAsync(AnswerRecord answer, CancellationToken cancellationToken)
    {
        return database.ExecuteAsync(
            """
            INSERT OR REPLACE INTO answers VALUES ($id, $question, $mode, $chapter, $url, $at, $refused);
            DELETE FROM answers WHERE at < $cutoff AND refused = 0 AND answer_id NOT IN (SELECT answer_id FROM feedback);
            """,
            parameters =>
            {
                parameters.AddWithValue("$id", answer.AnswerId);
                parameters.AddWithValue("$question", answer.Question);
                parameters.AddWithValue("$mode", answer.Mode);
                parameters.AddWithValue("$chapter", (object?)answer.Chapter ?? DBNull.Value);
                parameters.AddWithValue("$url", (object?)answer.ChapterUrl ?? DBNull.Value);
                parameters.AddWithValue("$at", Time(answer.At));
                parameters.AddWithValue("$refused", answer.Refused ? 1 : 0);
                parameters.AddWithValue("$cutoff", Time(answer.At - KeepAnswersFor));
            },
            cancellationToken);
    }

    public async Task<AnswerRecord?> FindAnswerAsync(string answerId, CancellationToken cancellationToken)
    {
        return await database.ReadAsync(async connection =>
        {
            await using var command = SqliteDatabase.Command(connection, null, "SELECT * FROM answers WHERE answer_id = $id");
            command.Parameters.AddWithValue("$id", answerId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? Answer(reader) : null;
        }, cancellationToken);
    }

    public Task AddFeedbackAsync(FeedbackRecord feedback, CancellationToken cancellationToken)
    {
        return database.ExecuteAsync(
            "INSERT INTO feedback VALUES ($id, $answer, $rating, $reason, $comment, $at)",
            parameters =>
            {
                parameters.AddWithValue("$id", feedback.FeedbackId);
                parameters.AddWithValue("$answer", feedback.AnswerId);
                parameters.AddWithValue("$rating", feedback.Rating);
                parameters.AddWithValue("$reason", (object?)feedback.Reason ?? DBNull.Value);
                parameters.AddWithValue("$comment", (object?)feedback.Comment ?? DBNull.Value);
                parameters.AddWithValue("$at", Time(feedback.At));
            },
            cancellationToken);
    }

    public Task<(IReadOnlyList<AnswerRecord> Answers, IReadOnlyList<FeedbackRecord> Feedback)> ReadGapsAsync(CancellationToken cancellationToken)
        => database.ReadAsync(connection => ReadGapsAsync(connection, cancellationToken), cancellationToken);

    private static async Task<(IReadOnlyList<AnswerRecord> Answers, IReadOnlyList<FeedbackRecord> Feedback)> ReadGapsAsync(
        SqliteConnection connection, CancellationToken cancellationToken)
    {
        var answers = new List<AnswerRecord>();
        var feedback = new List<FeedbackRecord>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT * FROM answers
                WHERE refused = 1 OR answer_id IN (SELECT answer_id FROM feedback WHERE rating = 'down')
                """;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                answers.Add(Answer(reader));
            }
        }

        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT feedback_id, answer_id, rating, reason, comment, at FROM feedback WHERE rating = 'down'";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                feedback.Add(new FeedbackRecord(
                    reader.GetString(0), reader.GetString(1), reader.GetString(2), Nullable(reader, 3), Nullable(reader, 4), Parse(reader.GetString(5))));
            }
        }

        return (answers, feedback);
    }

    public void Dispose() => database.Dispose();

    private static AnswerRecord Answer(SqliteDataReader reader)
        => new(reader.GetString(0), reader.GetString(1), reader.GetString(2), Nullable(reader, 3), Nullable(reader, 4),
            Parse(reader.GetString(5)), reader.GetInt64(6) != 0);

    private static string? Nullable(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string at) => DateTimeOffset.Parse(at, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
