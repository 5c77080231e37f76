using System.Text.Json;
using System.Text.Json.Serialization;
using RagFunctions.Chat;
using RagFunctions.Feedback;
using RagFunctions.Health;
using RagFunctions.Ingestion;
using RagFunctions.Site;
using RagFunctions.Translation;

namespace RagFunctions.Hosting;

/// <summary>Source-generated JSON for everything our API reads and writes: snake_case, nulls left out.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    MaxDepth = 32)]
[JsonSerializable(typeof(string[]))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(ChatRequest))]
[JsonSerializable(typeof(ChatAnswer))]
[JsonSerializable(typeof(StreamToken))]
[JsonSerializable(typeof(StreamDone))]
[JsonSerializable(typeof(StreamError))]
[JsonSerializable(typeof(TranslateRequest))]
[JsonSerializable(typeof(TranslateResponse))]
[JsonSerializable(typeof(PretranslateRequest))]
[JsonSerializable(typeof(PretranslateReport))]
[JsonSerializable(typeof(bool))]
[JsonSerializable(typeof(FeedbackRequest))]
[JsonSerializable(typeof(FeedbackAccepted))]
[JsonSerializable(typeof(GapReport))]
[JsonSerializable(typeof(IndexedPages))]
[JsonSerializable(typeof(IngestionReport))]
internal sealed partial class RagJsonContext : JsonSerializerContext;
