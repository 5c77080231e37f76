using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace RagFunctions.Hosting;

/// <summary>A request body read as <typeparamref name="T"/>, or the ProblemDetails that says why it could not be.</summary>
internal readonly record struct Body<T>(T? Value, ProblemHttpResult? Problem)
    where T : class;

internal static class JsonBody
{
    /// <summary>Reads a JSON object body. Wrong content type → 415; empty, malformed or non-object → 400.</summary>
    public static async Task<Body<T>> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        if (!IsJson(request.ContentType))
        {
            return Fail<T>(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                "Send the request body as JSON with the header 'Content-Type: application/json'.");
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync(request.Body, type, cancellationToken);
            return value is null
                ? Fail<T>(StatusCodes.Status400BadRequest, "Invalid request body", "The request body must be a JSON object, not null.")
                : new Body<T>(value, null);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1})" : "";
            var detail = ex.Path is { Length: > 1 } path && ex.InnerException is not JsonException
                ? $"The request body is not valid JSON for this endpoint: the value at '{path}' has the wrong type{where}."
                : $"The request body is not valid JSON{where}.";
            return Fail<T>(StatusCodes.Status400BadRequest, "Invalid request body", detail);
        }
    }

    public static Body<T> Fail<T>(int status, string title, string detail)
        where T : class
        => new(null, TypedResults.Problem(detail, statusCode: status, title: title));

    private static bool IsJson(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return false;
        }

        var charsetOk = !media.Charset.HasValue || media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase);
        return charsetOk && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                             || media.SubType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
    }
}
