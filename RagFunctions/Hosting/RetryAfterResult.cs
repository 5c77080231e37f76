using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace RagFunctions.Hosting;

/// <summary>Another result (a 429 or 503 ProblemDetails) with a <c>Retry-After</c> header in whole seconds.</summary>
internal sealed class RetryAfterResult(IResult inner, TimeSpan retryAfter) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.RetryAfter = Seconds(retryAfter);
        return inner.ExecuteAsync(httpContext);
    }

    public static string Seconds(TimeSpan wait)
        => Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
