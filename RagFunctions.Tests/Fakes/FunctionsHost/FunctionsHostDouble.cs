using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using RagFunctions.Tests.Fakes.FunctionsHost.Rpc;
using RagFunctions.Tests.Load;
using RagFunctions.Tests.Support;
using Yarp.ReverseProxy.Forwarder;

namespace RagFunctions.Tests.Fakes.FunctionsHost;

/// <summary>
/// The Azure Functions host, faithful at the wire, around the real built exe as its isolated worker:
/// <list type="bullet">
/// <item>a gRPC server (h2c on loopback) for <c>FunctionRpc.EventStream</c>; the exe is started as the host starts it
/// (<c>dotnet RagFunctions.dll --functions-uri … --functions-worker-id … --functions-request-id …
/// --functions-grpc-max-message-length …</c>, in the app folder, with <c>FUNCTIONS_APPLICATION_DIRECTORY</c> and
/// <c>FUNCTIONS_WORKER_DIRECTORY</c>), then StartStream → WorkerInitRequest/Response (its <c>HttpUri</c> capability) →
/// FunctionsMetadataRequest/FunctionMetadataResponse → one FunctionLoadRequest/Response per function;</item>
/// <item>its own HTTP front door on loopback: routes by <c>host.json</c>'s routePrefix and each trigger's route and
/// methods (anything else is a bare 404, as the host answers), rejects functions whose route starts with
/// <c>admin</c> or <c>runtime</c> (the host's own routes) as the host does, and per request forwards the HTTP
/// request to the worker's <c>HttpUri</c> with YARP's forwarder (as the host does, streaming both ways) carrying
/// <c>x-ms-invocation-id</c>, while it sends the matching InvocationRequest (an empty RpcHttp input and a W3C trace
/// context) and then waits for the InvocationResponse;</item>
/// <item>X-Forwarded-For as the host leaves it: YARP's forwarder sets it to the address the host saw, replacing what
/// a proxy in front had put there, unless <c>ASPNETCORE_FORWARDEDHEADERS_ENABLED=true</c> (ASP.NET Core's web host
/// default the host is built on) makes the host take the client's address from that proxy first;</item>
/// <item>CORS as the host applies it in a container: only when <c>FUNCTIONS_ENABLE_CORS_CONFIGURATION=1</c>, origins
/// from the JSON array in <c>CORS_ALLOWED_ORIGINS</c>, any method and header, credentials when
/// <c>CORS_SUPPORT_CREDENTIALS=true</c>, before routing (so the host answers preflights itself);</item>
/// <item>shutdown with WorkerTerminate, then the worker process is ended by its id if it is still there.</item>
/// </list>
/// The worker gets the same environment as the host (as in the container), so settings for the app go in the same
/// dictionary. Not modelled: keys and auth levels other than Anonymous, the host's own <c>/admin</c> API, invocation
/// cancel messages, worker restarts.
/// </summary>
internal sealed class FunctionsHostDouble : IAsyncDisposable
{
    public const string InvocationIdHeader = "x-ms-invocation-id";

    /// <summary>The routes the host keeps for itself: a function route starting with either fails to load.</summary>
    public static readonly string[] ReservedRoutePrefixes = ["admin", "runtime"];

    /// <summary>
    /// The worker's classes run alone: the worker waits a fixed 15 s for the invocation that pairs with a forwarded
    /// request (the AspNetCore extension's coordinator), and a test process busy with other suites can starve that.
    /// </summary>
    public const string Collection = "Functions host double";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    /// <summary>Longer than any answer here; a worker that never answers an invocation fails the request instead of hanging it.</summary>
    private static readonly TimeSpan InvocationBound = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan TerminateGracePeriod = TimeSpan.FromSeconds(5);

    private readonly WorkerChannel channel;
    private readonly WebApplication grpcServer;
    private readonly ConcurrentQueue<HostInvocation> invocations = new();
    private readonly HttpMessageInvoker forwardingClient = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.CreateDefaultPropagator()),
    });

    private readonly ForwarderRequestConfig forwarding = new() { ActivityTimeout = TimeSpan.FromSeconds(240) };
    private WebApplication? frontDoor;
    private ServerProcess? worker;
    private Uri? httpUri;
    private IReadOnlyList<HostFunction> functions = [];

    private FunctionsHostDouble(WorkerChannel channel, WebApplication grpcServer, string appDirectory)
    {
        this.channel = channel;
        this.grpcServer = grpcServer;
        AppDirectory = appDirectory;
    }

    /// <summary>The folder of the built app (<c>RagFunctions.dll</c>, <c>host.json</c>, <c>functions.metadata</c>).</summary>
    public string AppDirectory { get; }

    /// <summary>The front door, e.g. <c>http://127.0.0.1:54321/</c>.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The worker's ASP.NET Core server, as it announced it in its <c>HttpUri</c> capability.</summary>
    public Uri WorkerHttpUri => httpUri ?? throw new InvalidOperationException("The worker has not initialised.");

    /// <summary>The worker's answer to FunctionsMetadataRequest.</summary>
    public FunctionMetadataResponse? ReportedMetadata { get; private set; }

    /// <summary>The functions the host loaded and routes to.</summary>
    public IReadOnlyList<HostFunction> Functions => functions;

    /// <summary>Functions the host refused to load, with the reason it would log.</summary>
    public IReadOnlyDictionary<string, string> FunctionErrors { get; private set; } = new Dictionary<string, string>();

    /// <summary>Every invocation started so far.</summary>
    public IReadOnlyList<HostInvocation> Invocations => [.. invocations];

    /// <summary>What the worker logged through the host.</summary>
    public IReadOnlyList<RpcLog> WorkerLogs => channel.Logs;

    /// <summary>The first line the worker logged through the host, or will log, that <paramref name="match"/> accepts.</summary>
    public Task<RpcLog> WorkerLogAsync(Func<RpcLog, bool> match, CancellationToken cancellationToken) => channel.LogAsync(match, cancellationToken);

    /// <summary>The worker process's last console lines, for failure messages.</summary>
    public string WorkerOutput => worker?.RecentOutput ?? "";

    /// <summary>Whether the worker exited by itself after WorkerTerminate (known after disposal).</summary>
    public bool WorkerExitedOnTerminate { get; private set; }

    /// <param name="environment">
    /// The container's environment: the host reads its settings (CORS) from it and the worker inherits it.
    /// </param>
    public static async Task<FunctionsHostDouble> StartAsync(IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var appDirectory = Path.GetDirectoryName(RepoFiles.AppBuildOutput("RagFunctions.dll"))!;
        var workerId = Guid.NewGuid().ToString();
        var channel = new WorkerChannel(workerId);
        var grpcServer = await StartGrpcServerAsync(channel, cancellationToken);
        var host = new FunctionsHostDouble(channel, grpcServer, appDirectory);
        try
        {
            await host.StartFrontDoorAsync(environment, cancellationToken);
            host.StartWorker(environment, workerId);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(StartTimeout);
            await host.InitialiseWorkerAsync(deadline.Token);
            await host.WarmUpAsync(deadline.Token);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress };

    /// <summary>
    /// One <c>GET /health</c> through the front door before any test, its answer ignored. A cold worker pays for its
    /// first invocation (JIT, the gRPC path, DI); on a busy machine that can outlast the worker's own fixed 15 s wait
    /// for the invocation, and a test's first request would fail for a reason that is not its own.
    /// </summary>
    private async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        using var client = CreateClient();
        using var response = await client.GetAsync("/health", cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (worker is not null)
        {
            try
            {
                if (channel.Connected.IsCompletedSuccessfully)
                {
                    await channel.SendAsync(
                        new StreamingMessage { WorkerTerminate = new WorkerTerminate { GracePeriod = Duration.FromTimeSpan(TerminateGracePeriod) } },
                        CancellationToken.None);
                    await worker.Exited.WaitAsync(TerminateGracePeriod * 2);
                    WorkerExitedOnTerminate = true;
                }
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException or IOException or Grpc.Core.RpcException)
            {
                // Still running after the grace period (or the stream is gone): ended by its id below, as the host does.
            }

            await worker.DisposeAsync();
        }

        if (frontDoor is not null)
        {
            await frontDoor.StopAsync();
            await frontDoor.DisposeAsync();
        }

        await grpcServer.StopAsync();
        await grpcServer.DisposeAsync();
        forwardingClient.Dispose();
    }

    private static async Task<WebApplication> StartGrpcServerAsync(WorkerChannel channel, CancellationToken cancellationToken)
    {
        var builder = LoopbackServer.CreateBuilder(HttpProtocols.Http2);
        builder.Services.AddGrpc(options =>
        {
            options.MaxReceiveMessageSize = null;
            options.MaxSendMessageSize = null;
        });
        builder.Services.AddSingleton(channel);
        var app = builder.Build();
        app.MapGrpcService<WorkerChannel>();
        await app.StartAsync(cancellationToken);
        return app;
    }

    /// <summary>The host's CORS setup in a container: on only with the switch, origins as a JSON array.</summary>
    private static CorsPolicy? CorsPolicyFrom(IReadOnlyDictionary<string, string> environment)
    {
        if (environment.GetValueOrDefault("FUNCTIONS_ENABLE_CORS_CONFIGURATION") != "1")
        {
            return null;
        }

        var origins = JsonSerializer.Deserialize<string[]>(environment.GetValueOrDefault("CORS_ALLOWED_ORIGINS", "[]")) ?? [];
        var policy = new CorsPolicyBuilder(origins).AllowAnyHeader().AllowAnyMethod();
        if (string.Equals(environment.GetValueOrDefault("CORS_SUPPORT_CREDENTIALS"), "true", StringComparison.OrdinalIgnoreCase))
        {
            policy.AllowCredentials();
        }

        return policy.Build();
    }

    private static string RoutePrefix(string appDirectory)
    {
        using var hostJson = JsonDocument.Parse(File.ReadAllText(Path.Combine(appDirectory, "host.json")));
        return hostJson.RootElement.TryGetProperty("extensions", out var extensions)
               && extensions.TryGetProperty("http", out var http)
               && http.TryGetProperty("routePrefix", out var prefix)
            ? prefix.GetString() ?? ""
            : "api";
    }

    private async Task StartFrontDoorAsync(IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var builder = LoopbackServer.CreateBuilder();
        builder.Services.AddHttpForwarder();
        var cors = CorsPolicyFrom(environment);
        if (cors is not null)
        {
            builder.Services.AddCors(options => options.AddDefaultPolicy(cors));
        }

        var app = builder.Build();
        if (string.Equals(environment.GetValueOrDefault("ASPNETCORE_FORWARDEDHEADERS_ENABLED"), "true", StringComparison.OrdinalIgnoreCase))
        {
            // The host is built on ASP.NET Core's web host defaults, which read this switch: the client's address and
            // scheme then come from the proxy in front (X-Forwarded-For/-Proto, one hop, any proxy trusted).
            var forwardedHeaders = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
            forwardedHeaders.KnownIPNetworks.Clear();
            forwardedHeaders.KnownProxies.Clear();
            app.UseForwardedHeaders(forwardedHeaders);
        }

        if (cors is not null)
        {
            app.UseCors();
        }

        app.Run(HandleAsync);
        await app.StartAsync(cancellationToken);
        frontDoor = app;
        BaseAddress = LoopbackServer.Address(app);
    }

    private void StartWorker(IReadOnlyDictionary<string, string> environment, string workerId)
    {
        var grpcUri = LoopbackServer.Address(grpcServer);
        var variables = new Dictionary<string, string>(environment)
        {
            // What the container image sets for the host, and the worker inherits.
            ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
            ["AzureWebJobsScriptRoot"] = AppDirectory,
            ["ASPNETCORE_URLS"] = BaseAddress.ToString(),

            // What the host adds for the worker it starts.
            ["FUNCTIONS_APPLICATION_DIRECTORY"] = AppDirectory,
            ["FUNCTIONS_WORKER_DIRECTORY"] = AppDirectory,
        };
        worker = ServerProcess.Start("Functions worker", variables,
        [
            "--functions-uri", grpcUri.ToString(),
            "--functions-worker-id", workerId,
            "--functions-request-id", Guid.NewGuid().ToString(),
            "--functions-grpc-max-message-length", int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ]);
    }

    private async Task InitialiseWorkerAsync(CancellationToken cancellationToken)
    {
        await UntilAsync(channel.Connected, "open its stream", cancellationToken);

        var init = await UntilAsync(channel.RequestAsync(new StreamingMessage
        {
            WorkerInitRequest = new WorkerInitRequest
            {
                HostVersion = "4.1000.0.0",
                WorkerDirectory = AppDirectory,
                FunctionAppDirectory = AppDirectory,
            },
        }, cancellationToken), "answer WorkerInitRequest", cancellationToken);
        EnsureSuccess(init.WorkerInitResponse.Result, "WorkerInitRequest");
        httpUri = init.WorkerInitResponse.Capabilities.TryGetValue("HttpUri", out var uri)
            ? new Uri(uri)
            : throw new InvalidOperationException("The worker did not announce an HttpUri capability: it does not serve HTTP through ASP.NET Core.");

        var metadata = await UntilAsync(channel.RequestAsync(new StreamingMessage
        {
            FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = AppDirectory },
        }, cancellationToken), "answer FunctionsMetadataRequest", cancellationToken);
        ReportedMetadata = metadata.FunctionMetadataResponse;
        EnsureSuccess(ReportedMetadata.Result, "FunctionsMetadataRequest");
        if (ReportedMetadata.UseDefaultMetadataIndexing)
        {
            throw new InvalidOperationException("The worker asked the host to index functions.metadata itself; this double expects worker indexing.");
        }

        var prefix = RoutePrefix(AppDirectory);
        var loaded = new List<HostFunction>();
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var reported in ReportedMetadata.FunctionMetadataResults)
        {
            var function = HostFunction.From(reported, prefix);
            if (function.Route is { } route && ReservedRoutePrefixes.Any(p => route.Trim('/').StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            {
                errors[function.Name] = "The specified route conflicts with one or more built in routes.";
                continue;
            }

            var load = await UntilAsync(channel.RequestAsync(new StreamingMessage
            {
                FunctionLoadRequest = new FunctionLoadRequest { FunctionId = function.FunctionId, Metadata = function.LoadMetadata },
            }, cancellationToken), $"load function {function.Name}", cancellationToken);
            EnsureSuccess(load.FunctionLoadResponse.Result, $"FunctionLoadRequest for {function.Name}");
            loaded.Add(function);
        }

        functions = loaded;
        FunctionErrors = errors;
    }

    private static void EnsureSuccess(StatusResult? result, string step)
    {
        if (result?.Status != StatusResult.Types.Status.Success)
        {
            throw new InvalidOperationException($"The worker failed {step}: {result?.Exception?.Message} {result?.Result}");
        }
    }

    /// <summary>Awaits one start-up step, failing at once (with the worker's output) if the worker exits meanwhile.</summary>
    private async Task<T> UntilAsync<T>(Task<T> step, string what, CancellationToken cancellationToken)
    {
        await UntilAsync((Task)step, what, cancellationToken);
        return await step;
    }

    private async Task UntilAsync(Task step, string what, CancellationToken cancellationToken)
    {
        var exited = worker!.Exited;
        try
        {
            var first = await Task.WhenAny(step, exited).WaitAsync(cancellationToken);
            if (first == exited && !step.IsCompleted)
            {
                throw new InvalidOperationException($"The worker exited before it could {what}:\n{WorkerOutput}");
            }
        }
        catch (OperationCanceledException) when (!step.IsCompleted)
        {
            throw new TimeoutException($"The worker did not {what} within {StartTimeout.TotalSeconds:F0} s:\n{WorkerOutput}");
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var function = Match(context.Request);
        if (function is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var invocationId = Guid.NewGuid().ToString();
        context.Request.Headers[InvocationIdHeader] = invocationId;
        var outcome = new TaskCompletionSource<InvocationOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        invocations.Enqueue(new HostInvocation(function.Name, invocationId, context.Request.Method, context.Request.Path, outcome.Task));
        var response = channel.ExpectInvocation(invocationId);
        var error = ForwarderError.None;
        InvocationResponse? result = null;
        try
        {
            // As the host: start forwarding first, then send the invocation; the worker pairs the two by the invocation id.
            var forwarded = Forwarder(context).SendAsync(context, WorkerHttpUri.ToString(), forwardingClient, forwarding).AsTask();
            await channel.SendAsync(new StreamingMessage
            {
                InvocationRequest = new InvocationRequest
                {
                    InvocationId = invocationId,
                    FunctionId = function.FunctionId,
                    InputData = { new ParameterBinding { Name = function.TriggerBinding, Data = new TypedData { Http = new RpcHttp() } } },
                    TraceContext = new RpcTraceContext { TraceParent = TraceParent() },
                },
            }, context.RequestAborted);

            error = await forwarded;
            result = await response.WaitAsync(InvocationBound, context.RequestAborted);
        }
        catch (TimeoutException)
        {
            error = ForwarderError.Request;
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: the host would send InvocationCancel; nothing to answer.
        }
        finally
        {
            outcome.TrySetResult(new InvocationOutcome(error, result?.Result?.Status, result?.Result?.Exception?.Message));
        }

        var failed = error != ForwarderError.None || result?.Result?.Status is not StatusResult.Types.Status.Success;
        if (failed && !context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        }
    }

    private static IHttpForwarder Forwarder(HttpContext context) => context.RequestServices.GetRequiredService<IHttpForwarder>();

    private static string TraceParent()
        => Activity.Current?.Id is { } id && id.StartsWith("00-", StringComparison.Ordinal)
            ? id
            : $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-01";

    private HostFunction? Match(HttpRequest request)
        => functions.FirstOrDefault(f => f.Matches(request.Method, request.Path));
}

/// <summary>One HTTP function as the host loaded it from the worker's metadata.</summary>
internal sealed record HostFunction(
    string Name, string FunctionId, string? Route, IReadOnlyList<string> Methods, string TriggerBinding, RpcFunctionMetadata LoadMetadata)
{
    /// <summary>The inline constraints (<c>{x:int}</c>, <c>{root:maxlength(0)?}</c>) the host's router applies.</summary>
    private static readonly DefaultInlineConstraintResolver ConstraintResolver =
        new(Microsoft.Extensions.Options.Options.Create(new RouteOptions()), new ServiceCollection().BuildServiceProvider());

    private TemplateMatcher? matcher;
    private IDictionary<string, IRouteConstraint> constraints = new Dictionary<string, IRouteConstraint>();

    public static HostFunction From(RpcFunctionMetadata reported, string routePrefix)
    {
        var metadata = reported.Clone();
        string? route = null;
        string trigger = "";
        IReadOnlyList<string> methods = [];
        foreach (var raw in metadata.RawBindings)
        {
            using var json = JsonDocument.Parse(raw);
            var binding = json.RootElement;
            var name = Property(binding, "name") ?? "";
            var type = Property(binding, "type") ?? "";
            var direction = Property(binding, "direction") ?? "in";
            metadata.Bindings[name] = new BindingInfo
            {
                Type = type,
                Direction = direction.ToLowerInvariant() switch
                {
                    "out" => BindingInfo.Types.Direction.Out,
                    "inout" => BindingInfo.Types.Direction.Inout,
                    _ => BindingInfo.Types.Direction.In,
                },
            };
            if (type.Equals("httpTrigger", StringComparison.OrdinalIgnoreCase))
            {
                trigger = name;
                route = Property(binding, "route") ?? metadata.Name;
                methods = binding.TryGetProperty("methods", out var list) && list.ValueKind == JsonValueKind.Array
                    ? [.. list.EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant())]
                    : [];
            }
        }

        var id = string.IsNullOrEmpty(metadata.FunctionId) ? Guid.NewGuid().ToString() : metadata.FunctionId;
        metadata.FunctionId = id;
        if (route is null)
        {
            return new HostFunction(metadata.Name, id, route, methods, trigger, metadata);
        }

        var text = string.Join('/', new[] { routePrefix, route }.Where(p => p.Length > 0));
        var template = TemplateParser.Parse(text);
        var constraints = new RouteConstraintBuilder(ConstraintResolver, text);
        foreach (var parameter in template.Parameters)
        {
            if (parameter.IsOptional)
            {
                constraints.SetOptional(parameter.Name!);
            }

            foreach (var inline in parameter.InlineConstraints)
            {
                constraints.AddResolvedConstraint(parameter.Name!, inline.Constraint);
            }
        }

        return new HostFunction(metadata.Name, id, route, methods, trigger, metadata)
        {
            matcher = new TemplateMatcher(template, new RouteValueDictionary()),
            constraints = constraints.Build(),
        };
    }

    /// <summary>Route and method, as the host's router matches them (no methods listed means any method).</summary>
    public bool Matches(string method, PathString path)
    {
        RouteValueDictionary values;
        return matcher is not null
           && (Methods.Count == 0 || Methods.Contains(method, StringComparer.OrdinalIgnoreCase))
           && matcher.TryMatch(path, values = new RouteValueDictionary())
           && constraints.All(c => c.Value.Match(null, null, c.Key, values, RouteDirection.IncomingRequest));
    }

    private static string? Property(JsonElement element, string name)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (property.Name.Equals(name, StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind == JsonValueKind.String)
            {
                return property.Value.GetString();
            }
        }

        return null;
    }
}

/// <summary>
/// One request the host passed to the worker, recorded as the invocation starts (before anything is forwarded);
/// <see cref="Outcome"/> completes when forwarding is over and the worker's InvocationResponse is in.
/// </summary>
internal sealed record HostInvocation(string Function, string InvocationId, string Method, string Path, Task<InvocationOutcome> Outcome);

/// <summary>How forwarding ended, and the worker's invocation status (null when the client left first).</summary>
internal sealed record InvocationOutcome(ForwarderError Forwarding, StatusResult.Types.Status? Status, string? Exception);

[CollectionDefinition(FunctionsHostDouble.Collection, DisableParallelization = true)]
public sealed class FunctionsHostCollection;
