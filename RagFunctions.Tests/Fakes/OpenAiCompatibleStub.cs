using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RagFunctions.Tests.Fakes;

/// <summary>
/// The smallest OpenAI-compatible server: <c>POST {base}/chat/completions</c> answers <see cref="Answer"/> (not streamed)
/// and records what it was sent. Enough to show what the app puts on the wire for such servers.
/// </summary>
internal sealed class OpenAiCompatibleStub : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<CohereRecordedRequest> requests = new();

    private OpenAiCompatibleStub(WebApplication app) => this.app = app;

    public string BaseUrl { get; private set; } = "";

    public string Answer { get; set; } = "ROS 2 is a middleware for robots.";

    public IReadOnlyList<CohereRecordedRequest> Requests => [.. requests];

    public static async Task<OpenAiCompatibleStub> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var stub = new OpenAiCompatibleStub(app);
        app.Run(stub.HandleAsync);
        await app.StartAsync(cancellationToken);
        stub.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return stub;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var body = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        requests.Enqueue(new CohereRecordedRequest(context.Request.Method, context.Request.Path.Value ?? "", headers, body));
        var model = JsonNode.Parse(body)?["model"]?.GetValue<string>() ?? "unknown";
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(new JsonObject
        {
            ["id"] = "chatcmpl-1",
            ["object"] = "chat.completion",
            ["created"] = 1_764_000_000,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = Answer },
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 40, ["completion_tokens"] = 8, ["total_tokens"] = 48 },
        }.ToJsonString(), context.RequestAborted);
    }
}
