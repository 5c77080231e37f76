using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using RagFunctions.Hosting;

namespace RagFunctions.Feedback;

/// <summary>
/// <c>POST /feedback</c>: a reader's thumbs up or down on an answer (4 KB body at most);
/// <c>GET /admin/report</c> (behind <c>ADMIN_API_KEY</c>): what readers asked that the book could not answer.
/// </summary>
internal sealed class FeedbackFunctions(FeedbackService feedback, AdminGate admin)
{
    [Function("feedback")]
    public async Task<IResult> Submit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "feedback")] HttpRequest request, CancellationToken cancellationToken)
    {
        if (await LimitedBody.BufferAsync(request, FeedbackService.MaxBodyBytes, cancellationToken) is { } tooLarge)
        {
            return tooLarge;
        }

        var (body, problem) = await JsonBody.ReadAsync(request, RagJsonContext.Default.FeedbackRequest, cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        if (FeedbackService.Validate(body) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return await feedback.SubmitAsync(body, cancellationToken) is { } accepted
            ? TypedResults.Ok(accepted)
            : TypedResults.Problem(
                "No answer with this answer_id is known (answers are remembered for 7 days).", statusCode: StatusCodes.Status404NotFound, title: "Unknown answer");
    }

    [Function("admin-report")]
    public async Task<IResult> Report(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "admin/report")] HttpRequest request, CancellationToken cancellationToken)
        => admin.Check(request) ?? TypedResults.Json(await feedback.ReportAsync(cancellationToken), RagJsonContext.Default.GapReport);
}

/// <summary>Reads at most a given number of body bytes, so an oversized body costs nothing and becomes 413.</summary>
internal static class LimitedBody
{
    public static async Task<IResult?> BufferAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return TooLarge(maxBytes);
        }

        var buffer = new byte[maxBytes + 1];
        var length = await request.Body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        if (length > maxBytes)
        {
            return TooLarge(maxBytes);
        }

        request.Body = new MemoryStream(buffer, 0, length, writable: false);
        return null;
    }

    private static IResult TooLarge(int maxBytes)
        => TypedResults.Problem($"The request body must be at most {maxBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large");
}
