using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using RagFunctions.Retrieval.VectorStore.Qdrant;

namespace RagFunctions.Feedback;

/// <summary>
/// Feedback in Qdrant, so instances stay stateless: a collection <c>&lt;COLLECTION_NAME&gt;_feedback</c> of payload-only
/// points (<see cref="QdrantCollection"/>). An answer's point id is its answer id; a rating's is its own.
/// </summary>
internal sealed class QdrantFeedbackStore(QdrantClient client, IOptions<QdrantStoreOptions> options, ILogger<QdrantFeedbackStore> logger)
    : IFeedbackStore
{
    private const string Kind = "kind";
    private const uint Page = 256;

    private readonly QdrantCollection collection = new(client, new QdrantErrors(options.Value, logger), options.Value.Collection + "_feedback");

    public string Collection => collection.Name;

    public async Task RecordAnswerAsync(AnswerRecord answer, CancellationToken cancellationToken)
    {
        var payload = new Dictionary<string, Value>
        {
            [Kind] = "answer",
            ["answer_id"] = answer.AnswerId,
            ["question"] = answer.Question,
            ["mode"] = answer.Mode,
            ["at"] = Time(answer.At),
            ["refused"] = answer.Refused,
        };
        Optional(payload, "chapter", answer.Chapter);
        Optional(payload, "chapter_url", answer.ChapterUrl);
        await collection.UpsertPayloadAsync(PointId(answer.AnswerId), payload, "feedback write", cancellationToken);
    }

    public async Task<AnswerRecord?> FindAnswerAsync(string answerId, CancellationToken cancellationToken)
    {
        var payload = await collection.RetrievePayloadAsync(PointId(answerId), "feedback read", cancellationToken);
        return payload is not null && Text(payload, Kind) == "answer" ? Answer(payload) : null;
    }

    public async Task AddFeedbackAsync(FeedbackRecord feedback, CancellationToken cancellationToken)
    {
        var payload = new Dictionary<string, Value>
        {
            [Kind] = "feedback",
            ["feedback_id"] = feedback.FeedbackId,
            ["answer_id"] = feedback.AnswerId,
            ["rating"] = feedback.Rating,
            ["at"] = Time(feedback.At),
        };
        Optional(payload, "reason", feedback.Reason);
        Optional(payload, "comment", feedback.Comment);
        await collection.UpsertPayloadAsync(PointId(feedback.FeedbackId), payload, "feedback write", cancellationToken);
    }

    public async Task<(IReadOnlyList<AnswerRecord> Answers, IReadOnlyList<FeedbackRecord> Feedback)> ReadGapsAsync(CancellationToken cancellationToken)
    {
        await collection.EnsurePayloadCollectionAsync(cancellationToken);
        var answers = new List<AnswerRecord>();
        var feedback = new List<FeedbackRecord>();
        foreach (var point in await collection.ScrollAllAsync(null, new WithPayloadSelector { Enable = true }, Page, "feedback scroll", cancellationToken))
        {
            if (Text(point.Payload, Kind) == "answer")
            {
                answers.Add(Answer(point.Payload));
            }
            else if (Text(point.Payload, "rating") == Ratings.Down)
            {
                feedback.Add(new FeedbackRecord(
                    Text(point.Payload, "feedback_id") ?? "", Text(point.Payload, "answer_id") ?? "", Ratings.Down,
                    Text(point.Payload, "reason"), Text(point.Payload, "comment"), Parse(Text(point.Payload, "at"))));
            }
        }

        var down = feedback.Select(f => f.AnswerId).ToHashSet(StringComparer.Ordinal);
        return (answers.Where(a => a.Refused || down.Contains(a.AnswerId)).ToList(), feedback);
    }

    /// <summary>Answer ids are GUIDs; anything else maps to a stable name-based id.</summary>
    private static Guid PointId(string id) => QdrantPoints.PointGuid(id);

    private static AnswerRecord Answer(Google.Protobuf.Collections.MapField<string, Value> p)
        => new(Text(p, "answer_id") ?? "", Text(p, "question") ?? "", Text(p, "mode") ?? "", Text(p, "chapter"), Text(p, "chapter_url"),
            Parse(Text(p, "at")), p.TryGetValue("refused", out var refused) && refused.BoolValue);

    private static void Optional(Dictionary<string, Value> payload, string key, string? value)
    {
        if (value is not null)
        {
            payload[key] = value;
        }
    }

    private static string? Text(Google.Protobuf.Collections.MapField<string, Value> payload, string key)
        => payload.TryGetValue(key, out var value) && value.KindCase == Value.KindOneofCase.StringValue ? value.StringValue : null;

    private static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Parse(string? at)
        => at is null ? DateTimeOffset.MinValue : DateTimeOffset.Parse(at, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
}
