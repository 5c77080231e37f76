using System.Text.Json.Serialization;
using RagFunctions.Hosting;

namespace RagFunctions.Feedback;

/// <summary>The <c>/feedback</c> and <c>/manage/report</c> contracts, source-generated; use <see cref="Api"/>, in the API's JSON options.</summary>
[JsonSerializable(typeof(FeedbackRequest))]
[JsonSerializable(typeof(FeedbackAccepted))]
[JsonSerializable(typeof(GapReport))]
internal sealed partial class FeedbackJsonContext : JsonSerializerContext
{
    public static FeedbackJsonContext Api { get; } = new(ApiJson.Options());
}
