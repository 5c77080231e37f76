using Grpc.Core;
using Microsoft.Extensions.Logging;
using RagFunctions.Hosting;

namespace RagFunctions.Retrieval.VectorStore.Qdrant;

/// <summary>
/// Turns gRPC failures into <see cref="VectorStoreException"/>s whose message says what to fix, the same way for every
/// store kept in Qdrant (the book index, the translation cache, the feedback). Messages name the endpoint and the
/// setting, never the key.
/// </summary>
internal sealed class QdrantErrors(QdrantStoreOptions options, ILogger logger)
{
    /// <summary>
    /// Runs one Qdrant call: a cancellation the caller asked for stays a cancellation; any other gRPC or client failure
    /// becomes a <see cref="VectorStoreException"/> (logged once, here).
    /// </summary>
    public async Task<T> CallAsync<T>(string operation, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call(cancellationToken);
        }
        catch (RpcException ex)
        {
            throw Fail(ex, operation, cancellationToken);
        }
        catch (global::Qdrant.Client.QdrantException ex)
        {
            throw Translate(ex, operation);
        }
    }

    /// <summary>What <see cref="CallAsync"/> throws for <paramref name="error"/>.</summary>
    public Exception Fail(RpcException error, string operation, CancellationToken cancellationToken)
    {
        if (error.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            return new OperationCanceledException($"Qdrant {operation} was cancelled.", error, cancellationToken);
        }

        var translated = Translate(error, operation);
        QdrantLog.CallFailed(logger, operation, options.Endpoint, error.StatusCode, translated.Message);
        return translated;
    }

    public VectorStoreException Translate(RpcException error, string operation)
    {
        var endpoint = options.Endpoint;
        var detail = error.Status.Detail;
        var message = error.StatusCode switch
        {
            StatusCode.Unavailable => $"Qdrant unreachable at {endpoint} (is it gRPC {QdrantStoreOptions.GrpcPort}?)",
            StatusCode.DeadlineExceeded => $"Qdrant connection timeout after {options.TimeoutSeconds} s at {endpoint} ({operation})",
            StatusCode.Unauthenticated when options.Key is null => $"Qdrant at {endpoint} requires an API key: set {EnvironmentVariables.QdrantApiKey}",
            StatusCode.Unauthenticated => $"Qdrant rejected the API key ({EnvironmentVariables.QdrantApiKey}) at {endpoint}",
            StatusCode.PermissionDenied => $"Qdrant refused {operation} for this API key ({EnvironmentVariables.QdrantApiKey} is read-only or not allowed on collection '{options.Collection}')",
            StatusCode.NotFound when IsMissingCollection(detail) => $"Qdrant collection '{options.Collection}' not found — run ingest",
            StatusCode.Internal when IsHttp2Failure(detail) =>
                $"Qdrant at {endpoint} did not answer gRPC (HTTP/2 error): is it the REST port {QdrantStoreOptions.RestPort} instead of gRPC {QdrantStoreOptions.GrpcPort}, or a proxy without HTTP/2?",
            StatusCode.ResourceExhausted => $"Qdrant at {endpoint} is rate-limiting {operation}: {detail}",
            _ => $"Qdrant {operation} failed ({error.StatusCode}): {detail}",
        };
        return new VectorStoreException(Scrub(message), error);
    }

    public VectorStoreException Translate(global::Qdrant.Client.QdrantException error, string operation)
        => new(Scrub($"Qdrant {operation} failed: {error.Message}"), error);

    /// <summary>Qdrant's text is "Not found: Collection `book` doesn't exist!".</summary>
    public static bool IsMissingCollection(string detail)
        => detail.Contains("doesn't exist", StringComparison.OrdinalIgnoreCase)
           && detail.Contains("Collection", StringComparison.OrdinalIgnoreCase);

    private static bool IsHttp2Failure(string detail)
        => detail.Contains("HTTP/2", StringComparison.OrdinalIgnoreCase)
           || detail.Contains("PROTOCOL_ERROR", StringComparison.OrdinalIgnoreCase)
           || detail.Contains("HTTP version", StringComparison.OrdinalIgnoreCase);

    /// <summary>Belt and braces: a server or proxy that echoes the key must not put it in our logs.</summary>
    private string Scrub(string message)
        => options.Key is { Length: > 0 } key ? message.Replace(key, "***", StringComparison.Ordinal) : message;
}
