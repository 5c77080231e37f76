using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RagFunctions.Cohere;

/// <summary>Source-generated JSON for Cohere's wire shapes: nulls left out when writing, integers read leniently.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    Converters = [typeof(LenientInt32Converter)])]
[JsonSerializable(typeof(CohereChatRequest))]
[JsonSerializable(typeof(CohereChatResponse))]
[JsonSerializable(typeof(CohereStreamEvent))]
[JsonSerializable(typeof(CohereContentBlock))]
[JsonSerializable(typeof(CohereCitation))]
[JsonSerializable(typeof(CohereEmbedRequest))]
[JsonSerializable(typeof(CohereEmbedResponse))]
[JsonSerializable(typeof(CohereErrorBody))]
internal sealed partial class CohereJsonContext : JsonSerializerContext;

/// <summary>Reads integers sent as <c>18</c>, <c>18.0</c> or <c>"18"</c>; writes plain integers.</summary>
internal sealed class LenientInt32Converter : JsonConverter<int>
{
    public override int Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.TryGetInt32(out var whole) ? whole : checked((int)Math.Round(reader.GetDouble()));
        }

        if (reader.TokenType == JsonTokenType.String
            && double.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
        {
            return checked((int)Math.Round(parsed));
        }

        throw new JsonException($"Expected a number, found {reader.TokenType}.");
    }

    public override void Write(Utf8JsonWriter writer, int value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}
