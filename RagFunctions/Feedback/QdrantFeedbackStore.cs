using System.Globalization;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using RagFunctions.Retrieval.VectorStore.Qdrant;

namespace RagFunctions.Feedback;

/// <summary>
/// Feedback in Qdrant, so instances stay stateless: a collection <c>&lt;COLLECTION_NAME&gt;_feedback</c> of payload-only
/// points (a one-dimensional placeholder vector). An answer's point id is its answer id; a rating's is its own.
/// </summary>
internal sealed class QdrantFeedbackStore(QdrantClient client, IOptions<QdrantStoreOptions> options) : IFeedbackStore
{
    private const string Kind = "kind";
    private const int Page = 256;

    private readonly QdrantErrors errors = new(options.Value);
    private readonly SemaphoreSlim once = new(1, 1);
    private volatile bool ready;

    public string Collection { get; } = options.Value.Collection + "_feedback";

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
        await UpsertAsync(PointId(answer.AnswerId), payload, cancellationToken);
    }

    public async Task<AnswerRecord?> FindAnswerAsync(string answerId, CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken);
        var points = await CallAsync("feedback read", () => client.RetrieveAsync(Collection, PointId(answerId), withPayload: true, withVectors: false, cancellationToken: cancellationToken));
        return points.Select(p => p.Payload).Where(p => Text(p, Kind) == "answer").Select(Answer).FirstOrDefault();
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
        await UpsertAsync(PointId(feedback.FeedbackId), payload, cancellationToken);
    }

    public async Task<(IReadOnlyList<AnswerRecord> Answers, IReadOnlyList<FeedbackRecord> Feedback)> ReadGapsAsync(CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken);
        var answers = new List<AnswerRecord>();
        var feedback = new List<FeedbackRecord>();
        PointId? offset = null;
        do
        {
            var page = await CallAsync("feedback scroll", () => client.ScrollAsync(
                Collection, limit: Page, offset: offset, payloadSelector: true, vectorsSelector: false, cancellationToken: cancellationToken));
            foreach (var point in page.Result)
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

            offset = page.NextPageOffset;
        }
        while (offset is not null);

        var down = feedback.Select(f => f.AnswerId).ToHashSet(StringComparer.Ordinal);
        return (answers.Where(a => a.Refused || down.Contains(a.AnswerId)).ToList(), feedback);
    }

    private async Task UpsertAsync(Guid id, Dictionary<string, Value> payload, CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken);
        var point = new PointStruct { Id = id, Vectors = new[] { 1f } };
        point.Payload.Add(payload);
        await CallAsync("feedback write", () => client.UpsertAsync(Collection, [point], wait: true, cancellationToken: cancellationToken));
    }

    private async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (ready)
        {
            return;
        }

        await once.WaitAsync(cancellationToken);
        try
        {
            if (!ready && !await CallAsync("feedback collection check", () => client.CollectionExistsAsync(Collection, cancellationToken)))
            {
                try
                {
                    await client.CreateCollectionAsync(Collection, new VectorParams { Size = 1, Distance = Distance.Dot }, cancellationToken: cancellationToken);
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.AlreadyExists)
                {
                    // Another instance created it first.
                }
                catch (RpcException ex)
                {
                    throw errors.Translate(ex, "feedback collection create");
                }
            }

            ready = true;
        }
        finally
        {
            once.Release();
        }
    }

    private async Task<T> CallAsync<T>(string operation, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (RpcException ex) when (ex.StatusCode != StatusCode.Cancelled)
        {
            throw errors.Translate(ex, operation);
        }
    }

    /// <summary>Answer ids are GUIDs; anything else maps to a stable name-based id.</summary>
    private static Guid PointId(string id) => QdrantVectorStore.PointGuid(id);

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
