using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace RagFunctions.Tests.Fakes;

internal sealed partial class CohereDouble
{
    public const int MaxEmbedTexts = 96;

    private static readonly string[] InputTypes = ["search_document", "search_query", "classification", "clustering", "image"];

    /// <summary>The vector size the double gives a model: 1536 for embed-v4.0, 384 for -light-v3.0, else 1024.</summary>
    public static int DimensionsFor(string model)
        => model == "embed-v4.0" ? 1536 : model.EndsWith("-light-v3.0", StringComparison.Ordinal) ? 384 : 1024;

    /// <summary>A unit vector seeded by the SHA-256 of <paramref name="text"/>: the same text always gets the same vector.</summary>
    public static float[] VectorFor(string text, int dimensions)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        var state = BinaryPrimitives.ReadUInt64LittleEndian(hash) ^ BinaryPrimitives.ReadUInt64LittleEndian(hash.AsSpan(8));
        var vector = new float[dimensions];
        double norm = 0;
        for (var i = 0; i < dimensions; i++)
        {
            // SplitMix64, mapped to [-1, 1).
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            var value = ((z >> 11) * (1.0 / (1UL << 53) * 2)) - 1;
            vector[i] = (float)value;
            norm += value * value;
        }

        var scale = (float)(1 / Math.Sqrt(norm));
        for (var i = 0; i < dimensions; i++)
        {
            vector[i] *= scale;
        }

        return vector;
    }

    /// <summary>How the double scores a document for a query: shared words over all words (Jaccard), in [0, 1].</summary>
    public static double RelevanceOf(string query, string document)
    {
        var q = Words(query);
        var d = Words(document);
        if (q.Count == 0 || d.Count == 0)
        {
            return 0;
        }

        var shared = q.Intersect(d).Count();
        return (double)shared / q.Union(d).Count();

        static HashSet<string> Words(string text)
            => [.. Regex.Matches(text.ToLowerInvariant(), @"[\p{L}\p{N}]+").Select(m => m.Value)];
    }

    private static async Task EmbedAsync(HttpContext context, JsonElement request, CancellationToken aborted)
    {
        string? invalid = null;
        if (!request.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(model.GetString()))
        {
            invalid = "model must be a non-empty string";
        }
        else if (!request.TryGetProperty("input_type", out var inputType) || inputType.ValueKind != JsonValueKind.String)
        {
            invalid = "input_type is required for embed-v3.0 and newer models";
        }
        else if (!InputTypes.Contains(inputType.GetString()))
        {
            invalid = $"input_type must be one of {string.Join(", ", InputTypes)}";
        }
        else if (!request.TryGetProperty("texts", out var texts) || texts.ValueKind != JsonValueKind.Array || texts.GetArrayLength() == 0)
        {
            invalid = "texts must be a non-empty array of strings";
        }
        else if (texts.GetArrayLength() > MaxEmbedTexts)
        {
            invalid = $"total number of texts must be at most {MaxEmbedTexts} - received {texts.GetArrayLength()}";
        }
        else if (texts.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String))
        {
            invalid = "texts must be strings";
        }
        else if (!request.TryGetProperty("embedding_types", out var types) || types.ValueKind != JsonValueKind.Array || types.GetArrayLength() == 0)
        {
            invalid = "embedding_types is required";
        }

        if (invalid is not null)
        {
            await ErrorAsync(context, 400, "invalid request: " + invalid, aborted);
            return;
        }

        var modelName = request.GetProperty("model").GetString()!;
        var dimensions = request.TryGetProperty("output_dimension", out var output) && output.ValueKind == JsonValueKind.Number
            ? output.GetInt32()
            : DimensionsFor(modelName);
        var inputs = request.GetProperty("texts").EnumerateArray().Select(t => t.GetString()!).ToArray();
        var wantsFloat = request.GetProperty("embedding_types").EnumerateArray().Any(t => t.GetString() == "float");

        // Written directly: thousands of floats per answer.
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await using var buffer = new MemoryStream();
        await using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", NewId());
            json.WriteString("response_type", "embeddings_by_type");
            json.WriteStartArray("texts");
            foreach (var text in inputs)
            {
                json.WriteStringValue(text);
            }

            json.WriteEndArray();
            json.WriteStartObject("embeddings");
            if (wantsFloat)
            {
                json.WriteStartArray("float");
                foreach (var text in inputs)
                {
                    json.WriteStartArray();
                    foreach (var value in VectorFor(text, dimensions))
                    {
                        json.WriteNumberValue(value);
                    }

                    json.WriteEndArray();
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
            json.WriteStartObject("meta");
            json.WriteStartObject("api_version");
            json.WriteString("version", "2");
            json.WriteEndObject();
            json.WriteStartObject("billed_units");
            json.WriteNumber("input_tokens", inputs.Sum(t => Tokenize(t).Count));
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(context.Response.Body, aborted);
    }

    private static async Task RerankAsync(HttpContext context, JsonElement request, CancellationToken aborted)
    {
        string? invalid = null;
        if (!request.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(model.GetString()))
        {
            invalid = "model must be a non-empty string";
        }
        else if (!request.TryGetProperty("query", out var query) || query.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(query.GetString()))
        {
            invalid = "query must not be empty";
        }
        else if (!request.TryGetProperty("documents", out var documents) || documents.ValueKind != JsonValueKind.Array || documents.GetArrayLength() == 0)
        {
            invalid = "documents must not be empty";
        }
        else if (documents.EnumerateArray().Any(d => d.ValueKind != JsonValueKind.String))
        {
            invalid = "documents must be strings";
        }
        else if (request.TryGetProperty("top_n", out var topN) && (topN.ValueKind != JsonValueKind.Number || topN.GetInt32() < 1))
        {
            invalid = "top_n must be at least 1";
        }

        if (invalid is not null)
        {
            await ErrorAsync(context, 400, "invalid request: " + invalid, aborted);
            return;
        }

        var question = request.GetProperty("query").GetString()!;
        var texts = request.GetProperty("documents").EnumerateArray().Select(d => d.GetString()!).ToArray();
        var take = request.TryGetProperty("top_n", out var n) ? n.GetInt32() : texts.Length;
        var results = texts
            .Select((text, index) => (Index: index, Score: RelevanceOf(question, text)))
            .OrderByDescending(r => r.Score)
            .ThenBy(r => r.Index)
            .Take(take)
            .Select(r => (JsonNode)new JsonObject { ["index"] = r.Index, ["relevance_score"] = r.Score });

        await JsonAsync(context, new JsonObject
        {
            ["id"] = NewId(),
            ["results"] = new JsonArray([.. results]),
            ["meta"] = new JsonObject
            {
                ["api_version"] = new JsonObject { ["version"] = "2" },
                ["billed_units"] = new JsonObject { ["search_units"] = 1 },
            },
        }, aborted);
    }
}
