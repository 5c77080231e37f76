using Microsoft.AspNetCore.Http;
using RagFunctions.Ingestion;
using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Hosting;

/// <summary>
/// Which status and which sentence a failure becomes, for both hosts. Dependencies that are down are 503s with
/// a sentence a reader can act on; anything unknown is a 500 that says only that the error was logged.
/// </summary>
internal static class ErrorMapping
{
    public static int Status(Exception exception) => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        IndexMismatchException or VectorStoreException => StatusCodes.Status503ServiceUnavailable,
        IngestionBusyException => StatusCodes.Status409Conflict,
        _ => StatusCodes.Status500InternalServerError,
    };

    public static string Detail(Exception exception) => exception switch
    {
        // Model names and dimensions only: safe, and exactly what the operator needs.
        IndexMismatchException mismatch => mismatch.Message,
        VectorStoreException => "The book index is unavailable right now. Please try again in a moment.",
        _ => "The server could not complete the request. The error was logged with this request id.",
    };
}
