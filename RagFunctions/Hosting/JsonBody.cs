using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace RagFunctions.Hosting;

/// <summary>The most each endpoint reads of a request body; anything longer is a 413 and is never buffered.</summary>
internal static class BodyLimits
{
    public const int Chat = 16 * 1024;
    public const int Translate = 256 * 1024;
    public const int Feedback = 4 * 1024;
    public const int Admin = 4 * 1024;
}

internal static class JsonBody
{
    /// <summary>
    /// Reads the body as <see cref="ReadAsync{T}"/> does, then checks it with <paramref name="validate"/>: the request the
    /// function works from, or the problem it answers with.
    /// </summary>
    public static async Task<Validated<TValid>> ReadAsync<T, TValid>(
        HttpRequest request, JsonTypeInfo<T> type, int maxBytes, Func<T, Validated<TValid>> validate, CancellationToken cancellationToken)
        where T : class
        where TValid : class
    {
        var body = await ReadAsync(request, type, maxBytes, cancellationToken);
        return body.Value is { } value ? validate(value) : body.Problem!;
    }

    /// <summary>
    /// Reads a JSON object body of at most <paramref name="maxBytes"/> bytes. Wrong content type → 415; too long → 413
    /// (from Content-Length when given, else after reading one byte past the cap); empty, malformed, not UTF-8,
    /// nested deeper than the serializer's limit, or not an object → 400.
    /// </summary>
    public static async Task<Validated<T>> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type, int maxBytes, CancellationToken cancellationToken)
        where T : class
    {
        if (!IsJson(request.ContentType))
        {
            return Fail<T>(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                "Send the request body as JSON with the header 'Content-Type: application/json'.");
        }

        if (request.ContentLength > maxBytes)
        {
            return TooLarge<T>(maxBytes);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(maxBytes + 1);
        try
        {
            var length = await request.Body.ReadAtLeastAsync(buffer.AsMemory(0, maxBytes + 1), maxBytes + 1, throwOnEndOfStream: false, cancellationToken);
            return length > maxBytes ? TooLarge<T>(maxBytes) : Deserialize(buffer.AsSpan(0, length), type);
        }
        catch (BadHttpRequestException bad)
        {
            // The client broke the framing (a bad chunk, a body slower than the minimum rate): its error, not ours.
            return Fail<T>(bad.StatusCode, "Bad request body", "The request body could not be read: " + bad.Message);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static Validated<T> Fail<T>(int status, string title, string detail)
        where T : class
        => new RequestProblem(status, title, detail);

    private static Validated<T> Deserialize<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> type)
        where T : class
    {
        if (json.StartsWith("\uFEFF"u8))
        {
            json = json[3..];
        }

        // Checked for the whole body: the serializer does not look inside the fields it skips.
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            return Fail<T>(StatusCodes.Status400BadRequest, "Invalid request body", "The request body must be UTF-8 encoded JSON.");
        }

        try
        {
            var value = JsonSerializer.Deserialize(json, type);
            return value is null
                ? Fail<T>(StatusCodes.Status400BadRequest, "Invalid request body", "The request body must be a JSON object, not null.")
                : value;
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

    private static Validated<T> TooLarge<T>(int maxBytes)
        where T : class
        => Fail<T>(StatusCodes.Status413PayloadTooLarge, "Request body too large",
            $"The request body must be at most {maxBytes / 1024} KB ({maxBytes} bytes).");

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
