using System.Text.Json;
using System.Text.Json.Serialization;

namespace RagFunctions.Feedback;

/// <summary>The <c>/feedback</c> and <c>/manage/report</c> contracts, source-generated in the API's JSON (snake_case, nulls left out; the same options as every context of our API).</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    MaxDepth = 32)]
[JsonSerializable(typeof(FeedbackRequest))]
[JsonSerializable(typeof(FeedbackAccepted))]
[JsonSerializable(typeof(GapReport))]
internal sealed partial class FeedbackJsonContext : JsonSerializerContext;
