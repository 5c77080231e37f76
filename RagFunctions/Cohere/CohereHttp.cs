using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace RagFunctions.Cohere;

/// <summary>
/// The one place that sends requests to Cohere and turns its failures into <see cref="CohereException"/>s.
/// It takes a fresh <see cref="HttpClient"/> from the factory per call (the named client <see cref="ClientName"/>,
/// configured in <see cref="CohereServiceCollectionExtensions.AddCohere"/>), so it can live in singletons.
/// </summary>
internal sealed class CohereHttp(
    IHttpClientFactory clients, IOptions<CohereOptions> options, ILogger<CohereHttp> logger, CohereCallRecorder recorder)
{
    public const string ClientName = "Cohere";

    private const int MaxErrorBodyBytes = 8 * 1024;
    private const int MaxDetailLength = 200;

    public CohereOptions Options => options.Value;

    /// <summary>POSTs <paramref name="body"/> as JSON and reads the whole JSON answer.</summary>
    public async Task<TResponse> PostAsync<TRequest, TResponse>(
        string path, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
        where TResponse : class
    {
        var started = Stopwatch.GetTimestamp();
        using var request = CreateRequest(path, body, requestType, "application/json");
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);

        TResponse? result;
        try
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            result = JsonSerializer.Deserialize(bytes, responseType);
        }
        catch (JsonException ex)
        {
            throw Fail(new CohereException(null, "Cohere returned malformed JSON", ex));
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        recorder.Succeeded(elapsed);
        Log.Answered(logger, path, (long)elapsed.TotalMilliseconds);
        return result ?? throw Fail(new CohereException("Cohere returned malformed JSON"));
    }

    /// <summary>
    /// POSTs <paramref name="body"/> and returns the open event stream once Cohere has answered 200.
    /// Retries and the total timeout cover only this part; the caller reads the events with an idle timeout.
    /// </summary>
    public async Task<CohereEventStream> OpenStreamAsync<TRequest>(
        string path, TRequest body, JsonTypeInfo<TRequest> requestType, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var request = CreateRequest(path, body, requestType, "text/event-stream");
        HttpResponseMessage? response = null;
        try
        {
            response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            await EnsureSuccessAsync(response, cancellationToken);
            recorder.Succeeded(Stopwatch.GetElapsedTime(started));
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            return new CohereEventStream(request, response, stream, Options.StreamIdleTimeout, this);
        }
        catch
        {
            response?.Dispose();
            request.Dispose();
            throw;
        }
    }

    /// <summary>Logs a failure once, where it is decided, and hands the exception back to throw.</summary>
    public CohereException Fail(CohereException exception)
    {
        recorder.Failed(exception.Status, exception.Message);
        Log.Failure(logger, exception);
        return exception;
    }

    private static HttpRequestMessage CreateRequest<TRequest>(string path, TRequest body, JsonTypeInfo<TRequest> requestType, string accept)
    {
        // Bytes, not a stream: a retry sends the same content again.
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, requestType));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        var request = new HttpRequestMessage(HttpMethod.Post, path.TrimStart('/')) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        var client = clients.CreateClient(ClientName);
        try
        {
            return await client.SendAsync(request, completion, cancellationToken);
        }
        catch (TimeoutRejectedException ex)
        {
            throw Fail(new CohereException(null, $"Cohere timed out after {CohereResilience.Seconds(ex.Timeout)} s", ex));
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient.Timeout, the backstop behind the pipeline's own timeouts.
            throw Fail(new CohereException(null, $"Cohere timed out after {CohereResilience.Seconds(client.Timeout)} s", ex));
        }
        catch (HttpRequestException ex)
        {
            throw Fail(new CohereException(null, $"Cohere connection failed: {CohereResilience.Describe(ex)}", ex));
        }
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var status = (int)response.StatusCode;
        var detail = await ReadErrorDetailAsync(response, cancellationToken);
        var retryAfter = status == 429 ? CohereResilience.RetryAfter(response, DateTimeOffset.UtcNow) : null;
        var message = status switch
        {
            401 => "Cohere connection failed: 401 invalid API key",
            402 => "Cohere connection failed: 402 billing limit reached",
            403 => "Cohere connection failed: 403 forbidden",
            429 when retryAfter is { } wait => $"Cohere rate limited: 429, retry after {CohereResilience.Seconds(wait)} s",
            429 => "Cohere rate limited: 429",
            498 => "Cohere blocked the content: 498",
            499 => "Cohere cancelled the request: 499",
            >= 400 and < 500 => $"Cohere rejected the request: {status}{(detail is null ? "" : " " + detail)}",
            _ => $"Cohere unavailable: {status}",
        };
        throw Fail(new CohereException(status, message, retryAfter: retryAfter));
    }

    /// <summary>Cohere's <c>message</c>, short and single-line, with the key masked should it ever be echoed.</summary>
    private async Task<string?> ReadErrorDetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[MaxErrorBodyBytes];
            var length = await stream.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
            var body = JsonSerializer.Deserialize(buffer.AsSpan(0, length), CohereJsonContext.Default.CohereErrorBody);
            return SafeDetail(body?.Message);
        }
        catch (Exception ex) when (ex is JsonException or IOException or HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>Text from Cohere made fit for a message: short, single-line, the key masked.</summary>
    public string? SafeDetail(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var key = Options.ApiKey;
        if (!string.IsNullOrEmpty(key))
        {
            text = text.Replace(key, "***", StringComparison.Ordinal);
        }

        var builder = new StringBuilder(Math.Min(text.Length, MaxDetailLength));
        foreach (var c in text.Trim())
        {
            builder.Append(char.IsControl(c) ? ' ' : c);
            if (builder.Length == MaxDetailLength)
            {
                builder.Append('…');
                break;
            }
        }

        return builder.ToString();
    }
}
