using System.Buffers.Binary;
using System.Net;
using System.Text;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Qdrant.Client.Grpc;

namespace RagFunctions.Tests.Fakes;

/// <summary>
/// Qdrant at the wire: a Kestrel endpoint on 127.0.0.1 speaking HTTP/2 cleartext, where each gRPC call arrives as
/// <c>POST /qdrant.&lt;Service&gt;/&lt;Method&gt;</c> with one length-prefixed protobuf frame, parsed and answered with
/// Qdrant.Client's own message types, so the real <c>QdrantClient</c> talks to it unchanged.
/// </summary>
/// <remarks>
/// Reproduces: collection lifecycle (AlreadyExists, NotFound "Collection `x` doesn't exist!"), named dense vectors with
/// the dimension check, sparse vectors with <c>Modifier.Idf</c>, payload indexes (and Qdrant Cloud's strict mode on
/// request), upsert/delete/set-payload/retrieve, scroll with <c>NextPageOffset</c>, count, and the Query API
/// (dense cosine/dot, sparse dot product, nested prefetches with the top filter merged in, RRF with k = 2 unless
/// <c>Rrf{K}</c> says otherwise, limit/offset/score threshold, payload and vector selectors), the <c>api-key</c> check
/// (HealthCheck skips it, like the server), and faults. Anything else answers Unimplemented.
/// Not reproduced: server-side inference (<c>Document</c>), Euclid/Manhattan distances, geo/datetime/text filters,
/// order_by, grouping, aliases, snapshots, sharding.
/// </remarks>
internal sealed partial class QdrantDouble : IAsyncDisposable
{
    public const string Version = "1.20.0";

    private readonly object gate = new();
    private readonly List<QdrantCall> calls = [];
    private readonly Dictionary<string, Handler> handlers = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopping = new();
    private WebApplication? app;
    private Fault? fault;

    private QdrantDouble(string? apiKey)
    {
        ApiKey = apiKey;
        RegisterHandlers();
    }

    public string Host => "127.0.0.1";

    public int Port { get; private set; }

    /// <summary><c>http://127.0.0.1:port</c>, what <c>QDRANT_URL</c> would say.</summary>
    public string Url => $"http://{Host}:{Port}";

    /// <summary>The key the server accepts (none: no check). Set it to rotate the server's key under a running client.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Qdrant Cloud's strict mode: filters on payload fields without an index are refused.</summary>
    public bool StrictMode { get; set; }

    /// <summary>Every call received, in order, with its parsed request (failed and unauthenticated ones too).</summary>
    public IReadOnlyList<QdrantCall> Calls
    {
        get
        {
            lock (gate)
            {
                return [.. calls];
            }
        }
    }

    public static async Task<QdrantDouble> StartAsync(string? apiKey = null, CancellationToken cancellationToken = default)
    {
        var fake = new QdrantDouble(apiKey);
        await fake.ListenAsync(0, cancellationToken);
        return fake;
    }

    /// <summary>
    /// Stops listening and keeps every collection: calls now meet a refused connection, as when Qdrant is stopped.
    /// <see cref="RestartAsync"/> brings it back on the same port.
    /// </summary>
    public async Task StopAsync()
    {
        if (app is { } running)
        {
            app = null;
            await running.StopAsync();
            await running.DisposeAsync();
        }
    }

    /// <summary>Listens again on the same port, with the collections it had when it stopped.</summary>
    public Task RestartAsync(CancellationToken cancellationToken = default)
        => app is null ? ListenAsync(Port, cancellationToken) : Task.CompletedTask;

    /// <summary>The requests of one type, in arrival order (e.g. <c>Requests&lt;QueryPoints&gt;()</c>).</summary>
    public IReadOnlyList<T> Requests<T>()
        where T : IMessage => Calls.Select(c => c.Request).OfType<T>().ToArray();

    public void ClearCalls()
    {
        lock (gate)
        {
            calls.Clear();
        }
    }

    /// <summary>From now on, calls (to <paramref name="method"/>, e.g. "qdrant.Points/Query", or to any) fail with this status.</summary>
    public void FailWith(StatusCode status, string message, string? method = null)
    {
        lock (gate)
        {
            fault = new Fault(status, message, Hang: false, method);
        }
    }

    /// <summary>From now on, calls never answer: the client's deadline fires (DeadlineExceeded). No timer runs here.</summary>
    public void Hang(string? method = null)
    {
        lock (gate)
        {
            fault = new Fault(StatusCode.OK, "", Hang: true, method);
        }
    }

    public void Heal()
    {
        lock (gate)
        {
            fault = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await StopAsync();
        stopping.Dispose();
    }

    private async Task ListenAsync(int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2);
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        var started = builder.Build();
        started.Run(HandleAsync);
        await started.StartAsync(cancellationToken);
        var address = started.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Port = new Uri(address).Port;
        app = started;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var method = context.Request.Path.Value?.TrimStart('/') ?? "";
        try
        {
            var frame = await ReadFrameAsync(context);
            if (!handlers.TryGetValue(method, out var handler))
            {
                Record(method, null, context);
                throw new RpcException(new Status(StatusCode.Unimplemented, $"Method {method} is not implemented by the Qdrant double"));
            }

            var request = handler.Parse(frame);
            Record(method, request, context);
            await ApplyFaultAsync(method, context.RequestAborted);
            Authenticate(method, context);

            IMessage response;
            lock (gate)
            {
                response = handler.Handle(request);
            }

            await WriteResponseAsync(context, response);
        }
        catch (RpcException ex)
        {
            WriteError(context, ex.StatusCode, ex.Status.Detail);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested || stopping.IsCancellationRequested)
        {
            // The client gave up (deadline) or the double is stopping: nothing to answer.
        }
        catch (InvalidProtocolBufferException ex)
        {
            WriteError(context, StatusCode.Internal, $"Failed to decode {method} request: {ex.Message}");
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or KeyNotFoundException or InvalidCastException)
        {
            // A bug in the double surfaces as a gRPC error the test can read, not as an HTTP 500.
            WriteError(context, StatusCode.Internal, $"Qdrant double failed on {method}: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private void On<TRequest>(string method, MessageParser<TRequest> parser, Func<TRequest, IMessage> handle)
        where TRequest : IMessage<TRequest>
        => handlers[method] = new Handler(bytes => parser.ParseFrom(bytes), request => handle((TRequest)request));

    private void Record(string method, IMessage? request, HttpContext context)
    {
        lock (gate)
        {
            calls.Add(new QdrantCall(method, request, context.Request.Headers.ContainsKey("api-key")));
        }
    }

    private async Task ApplyFaultAsync(string method, CancellationToken aborted)
    {
        Fault? current;
        lock (gate)
        {
            current = fault;
        }

        if (current is null || (current.Method is not null && current.Method != method))
        {
            return;
        }

        if (current.Hang)
        {
            using var both = CancellationTokenSource.CreateLinkedTokenSource(aborted, stopping.Token);
            await Task.Delay(Timeout.Infinite, both.Token);
        }

        throw new RpcException(new Status(current.Status, current.Message));
    }

    /// <summary>The server checks <c>api-key</c> (or a bearer token) on everything except the health check.</summary>
    private void Authenticate(string method, HttpContext context)
    {
        var expected = ApiKey;
        if (expected is null || method == "qdrant.Qdrant/HealthCheck")
        {
            return;
        }

        var key = context.Request.Headers["api-key"].ToString();
        var authorization = context.Request.Headers.Authorization.ToString();
        if (key.Length == 0 && authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            key = authorization["Bearer ".Length..];
        }

        if (key.Length == 0)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "Must provide an API key or an Authorization bearer token"));
        }

        if (key != expected)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "Invalid API key or JWT"));
        }
    }

    private static async Task<byte[]> ReadFrameAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var bytes = body.ToArray();
        if (bytes.Length < 5)
        {
            throw new RpcException(new Status(StatusCode.Internal, "Expected one length-prefixed gRPC message"));
        }

        if (bytes[0] != 0)
        {
            throw new RpcException(new Status(StatusCode.Unimplemented, "Compressed messages are not supported by the Qdrant double"));
        }

        var length = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1, 4));
        if (bytes.Length != 5 + length)
        {
            throw new RpcException(new Status(StatusCode.Internal, $"Frame says {length} bytes, body has {bytes.Length - 5}"));
        }

        return bytes[5..];
    }

    private static async Task WriteResponseAsync(HttpContext context, IMessage response)
    {
        var message = response.ToByteArray();
        var frame = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1, 4), (uint)message.Length);
        message.CopyTo(frame, 5);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/grpc";
        await context.Response.Body.WriteAsync(frame, context.RequestAborted);
        context.Response.AppendTrailer("grpc-status", "0");
    }

    private static void WriteError(HttpContext context, StatusCode status, string message)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/grpc";
        context.Response.AppendTrailer("grpc-status", ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture));
        context.Response.AppendTrailer("grpc-message", PercentEncode(message));
    }

    /// <summary>gRPC's grpc-message encoding: bytes outside printable ASCII, and '%', as %XX of their UTF-8.</summary>
    private static string PercentEncode(string message)
    {
        var text = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            if (b is < 0x20 or > 0x7E or (byte)'%')
            {
                text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append((char)b);
            }
        }

        return text.ToString();
    }

    private sealed record Handler(Func<byte[], IMessage> Parse, Func<IMessage, IMessage> Handle);

    private sealed record Fault(StatusCode Status, string Message, bool Hang, string? Method);
}

/// <summary>One call as the double received it. <see cref="Request"/> is null for unknown methods.</summary>
/// <param name="Method">"qdrant.Service/Method".</param>
internal sealed record QdrantCall(string Method, IMessage? Request, bool HadApiKey);
