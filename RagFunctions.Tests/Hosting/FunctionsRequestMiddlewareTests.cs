using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RagFunctions.Hosting;

namespace RagFunctions.Tests.Hosting;

/// <summary>
/// The worker middleware that does under the Functions host what the standalone host does around a function:
/// the per-client rate limit and ProblemDetails instead of a bare 500. Driven with the HttpContext the ASP.NET Core
/// integration puts in the invocation's items.
/// </summary>
public sealed class FunctionsRequestMiddlewareTests
{
    [Fact]
    public async Task PastTheBudget_TheFunctionDoesNotRun_And429WithRetryAfterIsWritten_WhileHealthIsNeverLimited()
    {
        var middleware = Create(perMinute: 1);
        var runs = 0;
        Task Run(FunctionContext _)
        {
            runs++;
            return Task.CompletedTask;
        }

        await middleware.Invoke(Invocation("chat", out _), Run);
        await middleware.Invoke(Invocation("stream-chat", out var limited), Run);
        for (var i = 0; i < 5; i++)
        {
            await middleware.Invoke(Invocation("health", out _), Run);
        }

        Assert.Equal(6, runs);
        Assert.Equal(StatusCodes.Status429TooManyRequests, limited.Response.StatusCode);
        Assert.True(int.Parse(limited.Response.Headers.RetryAfter.ToString(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        var problem = Body(limited);
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Equal("Too many requests", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task AFunctionThatThrows_BecomesAProblemDetails500_WithoutTheExceptionText()
    {
        var middleware = Create(perMinute: 0);

        await middleware.Invoke(Invocation("chat", out var http), _ => throw new InvalidOperationException("secret path /data/index.db"));

        Assert.Equal(StatusCodes.Status500InternalServerError, http.Response.StatusCode);
        var body = Body(http);
        Assert.Equal(500, body.GetProperty("status").GetInt32());
        Assert.DoesNotContain("secret path", body.ToString(), StringComparison.Ordinal);
    }

    /// <summary>What the app registers for both hosts: JSON, ProblemDetails and the rest.</summary>
    private static readonly ServiceProvider Services =
        new ServiceCollection().AddLogging().AddRagHosting(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build()).BuildServiceProvider();

    private static FunctionsRequestMiddleware Create(int perMinute)
    {
        var limiter = new ClientRateLimiter(Options.Create(new RateLimitOptions { PerMinute = perMinute }), NullLogger<ClientRateLimiter>.Instance);
        return new FunctionsRequestMiddleware(
            new RequestPipeline(limiter, Services.GetRequiredService<AdminGate>(), Services.GetRequiredService<IProblemDetailsService>(), NullLogger<RequestPipeline>.Instance,
            Services.GetRequiredService<RagMetrics>()));
    }

    private static FunctionContext Invocation(string function, out HttpContext http)
    {
        http = new DefaultHttpContext { RequestServices = Services };
        http.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("203.0.113.7");
        http.Response.Body = new MemoryStream();
        return new FakeInvocation(function, http);
    }

    private static JsonElement Body(HttpContext http)
    {
        http.Response.Body.Position = 0;
        return JsonDocument.Parse(http.Response.Body).RootElement.Clone();
    }

    private sealed class FakeInvocation(string name, HttpContext http) : FunctionContext
    {
        public override string InvocationId { get; } = Guid.NewGuid().ToString("N");

        public override string FunctionId => name;

        public override TraceContext TraceContext => null!;

        public override BindingContext BindingContext => null!;

        public override RetryContext RetryContext => null!;

        public override IServiceProvider InstanceServices { get; set; } = http.RequestServices;

        public override FunctionDefinition FunctionDefinition { get; } = new Definition(name);

        // The key the ASP.NET Core integration stores the request's HttpContext under.
        public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object> { ["HttpRequestContext"] = http };

        public override IInvocationFeatures Features => null!;
    }

    private sealed class Definition(string name) : FunctionDefinition
    {
        public override ImmutableArray<FunctionParameter> Parameters => [];

        public override string PathToAssembly => typeof(Definition).Assembly.Location;

        public override string EntryPoint => name;

        public override string Id => name;

        public override string Name => name;

        public override IImmutableDictionary<string, BindingMetadata> InputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;

        public override IImmutableDictionary<string, BindingMetadata> OutputBindings => ImmutableDictionary<string, BindingMetadata>.Empty;
    }
}
