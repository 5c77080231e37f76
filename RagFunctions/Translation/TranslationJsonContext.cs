using System.Text.Json;
using System.Text.Json.Serialization;

namespace RagFunctions.Translation;

/// <summary>The <c>/translate</c> and <c>/manage/translate</c> contracts, source-generated in the API's JSON (snake_case, nulls left out; the same options as every context of our API).</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    MaxDepth = 32)]
[JsonSerializable(typeof(TranslateRequest))]
[JsonSerializable(typeof(TranslateResponse))]
[JsonSerializable(typeof(PretranslateRequest))]
[JsonSerializable(typeof(PretranslateReport))]
internal sealed partial class TranslationJsonContext : JsonSerializerContext;
