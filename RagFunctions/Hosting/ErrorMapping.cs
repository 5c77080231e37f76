using Microsoft.AspNetCore.Http;

namespace RagFunctions.Hosting;

/// <summary>
/// The failure model, for every function under both hosts: which status a failure becomes, and how each ProblemDetails
/// is finished. A <see cref="ServiceFailureException"/> (a store, a budget or a provider) brings its own status, title,
/// safe detail and <c>Retry-After</c>; admin routes get its message instead, since their caller is the operator;
/// anything unknown is a 500 that says only that the error was logged. Exception texts never reach a response.
/// </summary>
internal static class ErrorMapping
{
    public const string UnexpectedDetail = "The server could not complete the request. The error was logged with this request id.";

    public static int Status(Exception exception) => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        ServiceFailureException failure => failure.StatusCode,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>
    /// Every ProblemDetails either host writes passes here (the functions' own, the rate limiter's, a failure's): the
    /// request id; for a failure its title, detail and <c>Retry-After</c>; and on routes whose client reads
    /// <c>success</c>/<c>error</c> (<see cref="ApiDocAttribute.ClientAErrors"/>), those two fields as well.
    /// </summary>
    public static void Finish(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var http = context.HttpContext;
        var route = RequestPipeline.Route(http);
        problem.Extensions["request_id"] = RequestLogScope.RequestId(http);
        problem.Extensions.Remove("exception");
        if (context.Exception is ServiceFailureException failure)
        {
            problem.Title = failure.Title;
            problem.Detail = route?.Doc?.Admin == true ? failure.Message : failure.Detail;
            if (failure.RetryAfter is { } wait)
            {
                http.Response.Headers.RetryAfter = RetryAfterResult.Seconds(wait);
            }
        }
        else if (problem.Status >= 500 && context.Exception is not null)
        {
            // Never the exception text: it may carry a URL with a key, a path or a stack trace.
            problem.Detail = UnexpectedDetail;
        }

        if (route?.Doc?.ClientAErrors == true)
        {
            problem.Extensions["success"] = false;
            problem.Extensions["error"] = problem.Detail ?? problem.Title;
        }
    }

    /// <summary>A failure a function finds without an exception (a page not in the book, no provider), as ProblemDetails.</summary>
    public static IResult Problem(int status, string title, string detail, TimeSpan? retryAfter = null)
    {
        var problem = TypedResults.Problem(detail, statusCode: status, title: title);
        return retryAfter is { } wait ? new RetryAfterResult(problem, wait) : problem;
    }
}
