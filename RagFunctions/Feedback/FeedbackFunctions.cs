using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using RagFunctions.Hosting;

namespace RagFunctions.Feedback;

/// <summary>
/// <c>POST /feedback</c>: a reader's thumbs up or down on an answer (4 KB body at most);
/// <c>GET /manage/report</c> (behind <c>ADMIN_API_KEY</c>): what readers asked that the book could not answer.
/// </summary>
internal sealed class FeedbackFunctions(FeedbackService feedback)
{
    [Function("feedback")]
    [ApiDoc("Rate an answer", Tag = ApiTags.Chat, Request = typeof(FeedbackRequest), Response = typeof(FeedbackAccepted), Errors = [StatusCodes.Status404NotFound],
        RequestExample = """{"answer_id":"<answer_id from /chat>","rating":"down","reason":"incomplete"}""",
        Description = "A thumbs up or down (`rating`: up or down; `reason`: incorrect, not_what_i_asked, incomplete, slow or other) on an answer of the last 7 days.")]
    public async Task<IResult> Submit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "feedback")] HttpRequest request, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync(
            request, FeedbackJsonContext.Api.FeedbackRequest, BodyLimits.Feedback, FeedbackService.Validate, cancellationToken);
        if (body is null)
        {
            return problem!.ToResult();
        }

        return await feedback.SubmitAsync(body, cancellationToken) is { } accepted
            ? TypedResults.Ok(accepted)
            : TypedResults.Problem(
                "No answer with this answer_id is known (answers are remembered for 7 days).", statusCode: StatusCodes.Status404NotFound, title: "Unknown answer");
    }

    [Function("admin-report")]
    [ApiDoc("What readers asked that the book could not answer", Tag = ApiTags.Admin, Admin = true, Response = typeof(GapReport),
        Description = "Refused questions and thumbs-down answers, grouped by the nearest chapter, most frequent first.")]
    public async Task<IResult> Report(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/report")] HttpRequest request, CancellationToken cancellationToken)
        => TypedResults.Json(await feedback.ReportAsync(cancellationToken), FeedbackJsonContext.Api.GapReport);
}
