using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RagFunctions.Hosting;
using RagFunctions.Ingestion;
using RagFunctions.LanguageModels;
using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Tests.Hosting;

/// <summary>
/// The failure model through the request pipeline both hosts run: a store, budget or provider failure thrown by any
/// function becomes the same ProblemDetails, with client A's fields where its route declares them.
/// </summary>
public sealed class FailureModelTests
{
    private const string AdminKey = "admin-key-0123456789abcdef";

    private const string Cause = "Index locked by another process at /data/secret/index.db";

    private static readonly ServiceProvider Services =
        new ServiceCollection().AddLogging().AddRagHosting(new ConfigurationBuilder().Build()).BuildServiceProvider();

    [Fact]
    public async Task AStoreFailure_IsA503WithTheReadersSentence_AndNeverTheCause()
    {
        var http = await RunAsync("chat", _ => throw new VectorStoreException(Cause));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, http.Response.StatusCode);
        var body = Body(http);
        Assert.Equal("Book index unavailable", body.GetProperty("title").GetString());
        Assert.Equal(VectorStoreException.UnavailableDetail, body.GetProperty("detail").GetString());
        Assert.False(body.TryGetProperty("success", out _));
        Assert.DoesNotContain("/data/secret", body.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(RequestLogScope.RequestId(http), body.GetProperty("request_id").GetString());
    }

    [Fact]
    public async Task OnTranslate_ASpentBudget_Is429WithRetryAfter_AndClientAsSuccessAndError()
    {
        var http = await RunAsync("translate", _ => throw new DailyBudgetExceededException(5, TimeSpan.FromSeconds(90)));

        Assert.Equal(StatusCodes.Status429TooManyRequests, http.Response.StatusCode);
        Assert.Equal("90", http.Response.Headers.RetryAfter.ToString());
        var body = Body(http);
        Assert.False(body.GetProperty("success").GetBoolean());
        Assert.Equal(body.GetProperty("detail").GetString(), body.GetProperty("error").GetString());
        Assert.Contains("budget", body.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("5 language-model calls", body.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnTranslate_TheRateLimitersAndTheFunctionsOwnProblems_CarrySuccessAndErrorToo()
    {
        var limited = new RequestPipeline(
            new ClientRateLimiter(Options.Create(new RateLimitOptions { PerMinute = 1 }), NullLogger<ClientRateLimiter>.Instance),
            new AdminGate(Options.Create(new AdminOptions { ApiKey = AdminKey })),
            Services.GetRequiredService<IProblemDetailsService>(),
            NullLogger<RequestPipeline>.Instance,
            Services.GetRequiredService<RagMetrics>());
        await RunAsync("translate", _ => Task.CompletedTask, limited);
        var second = await RunAsync("translate", _ => throw new InvalidOperationException("the limiter let it through"), limited);
        var own = await RunAsync("translate", http => ErrorMapping.Problem(404, "Page not found", "That page is not in the book.").ExecuteAsync(http));

        Assert.Equal(StatusCodes.Status429TooManyRequests, second.Response.StatusCode);
        Assert.False(Body(second).GetProperty("success").GetBoolean());
        Assert.Equal(StatusCodes.Status404NotFound, own.Response.StatusCode);
        Assert.Equal("That page is not in the book.", Body(own).GetProperty("error").GetString());
    }

    [Fact]
    public async Task OnAnAdminRoute_TheOperatorGetsTheCause()
    {
        var failed = await RunAsync("admin-ingest", _ => throw new VectorStoreException(Cause));
        var busy = await RunAsync("admin-ingest", _ => throw new IngestionBusyException());

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, failed.Response.StatusCode);
        Assert.Equal(Cause, Body(failed).GetProperty("detail").GetString());
        Assert.Equal(StatusCodes.Status409Conflict, busy.Response.StatusCode);
        Assert.Equal("Ingestion running", Body(busy).GetProperty("title").GetString());
    }

    [Fact]
    public async Task AProviderFailure_IsBusyOn429AndUnavailableOtherwise()
    {
        var busy = await RunAsync("translate", _ => throw new ProviderFailureException(busy: true, "Cohere rate limited: 429", retryAfter: TimeSpan.FromSeconds(30)));
        var down = await RunAsync("translate", _ => throw new ProviderFailureException(busy: false, "Cohere unavailable: 500"));

        Assert.Equal(StatusCodes.Status429TooManyRequests, busy.Response.StatusCode);
        Assert.Equal("30", busy.Response.Headers.RetryAfter.ToString());
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, down.Response.StatusCode);
        Assert.True(string.IsNullOrEmpty(down.Response.Headers.RetryAfter.ToString()));
        Assert.DoesNotContain("Cohere", Body(busy).GetRawText() + Body(down).GetRawText(), StringComparison.Ordinal);
    }

    private static async Task<HttpContext> RunAsync(string function, Func<HttpContext, Task> run, RequestPipeline? pipeline = null)
    {
        pipeline ??= new RequestPipeline(
            new ClientRateLimiter(Options.Create(new RateLimitOptions { PerMinute = 0 }), NullLogger<ClientRateLimiter>.Instance),
            new AdminGate(Options.Create(new AdminOptions { ApiKey = AdminKey })),
            Services.GetRequiredService<IProblemDetailsService>(),
            NullLogger<RequestPipeline>.Instance,
            Services.GetRequiredService<RagMetrics>());
        var http = new DefaultHttpContext { RequestServices = Services };
        http.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("203.0.113.9");
        http.Request.Headers[AdminGate.HeaderName] = AdminKey;
        http.Response.Body = new MemoryStream();
        await pipeline.RunAsync(http, function, () => run(http));
        return http;
    }

    private static JsonElement Body(HttpContext http)
    {
        http.Response.Body.Position = 0;
        return JsonDocument.Parse(http.Response.Body).RootElement.Clone();
    }
}
