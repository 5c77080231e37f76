using System.Text.Json.Serialization;
using RagFunctions.Hosting;

namespace RagFunctions.Translation;

/// <summary>The <c>/translate</c> and <c>/manage/translate</c> contracts, source-generated; use <see cref="Api"/>, in the API's JSON options.</summary>
[JsonSerializable(typeof(TranslateRequest))]
[JsonSerializable(typeof(TranslateResponse))]
[JsonSerializable(typeof(PretranslateRequest))]
[JsonSerializable(typeof(PretranslateReport))]
internal sealed partial class TranslationJsonContext : JsonSerializerContext
{
    public static TranslationJsonContext Api { get; } = new(ApiJson.Options());
}
