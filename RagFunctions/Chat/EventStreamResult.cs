using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace RagFunctions.Chat;

/// <summary>
/// A <c>text/event-stream</c> response in exactly the framing client A parses: each event is one line
/// <c>data: &lt;json&gt;</c> and a blank line, LF only, no <c>event:</c>/<c>id:</c> lines; every event is flushed at once;
/// a <c>: ping</c> comment goes out whenever nothing else has for <paramref name="heartbeat"/>.
/// Works under both hosts: the Functions host proxies the worker's response stream as it is written.
/// </summary>
/// <param name="events">JSON texts, one per event. Producing them stops when the client disconnects.</param>
/// <param name="onFailure">The JSON of the error event sent when producing fails after the stream started.</param>
internal sealed class EventStreamResult(
    Func<CancellationToken, IAsyncEnumerable<string>> events,
    Func<Exception, string> onFailure,
    TimeSpan heartbeat) : IResult
{
    private static readonly byte[] Ping = ": ping\n\n"u8.ToArray();

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        var cancellation = httpContext.RequestAborted;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache, no-transform";
        response.Headers["X-Accel-Buffering"] = "no";
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync(cancellation);

        try
        {
            await using var enumerator = events(cancellation).GetAsyncEnumerator(cancellation);
            var next = enumerator.MoveNextAsync().AsTask();
            while (true)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                var tick = Task.Delay(heartbeat, wait.Token);
                if (await Task.WhenAny(next, tick) != next)
                {
                    await WriteAsync(response, Ping, cancellation);
                    continue;
                }

                await wait.CancelAsync();
                if (!await next)
                {
                    return;
                }

                await WriteAsync(response, Frame(enumerator.Current), cancellation);
                next = enumerator.MoveNextAsync().AsTask();
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // The reader left: nothing to tell anyone.
        }
        catch (Exception ex) when (!cancellation.IsCancellationRequested)
        {
            await WriteAsync(response, Frame(onFailure(ex)), CancellationToken.None);
        }
    }

    /// <summary><c>data: {json}\n\n</c>. JSON from System.Text.Json never contains a raw line break.</summary>
    public static byte[] Frame(string json) => Encoding.UTF8.GetBytes("data: " + json + "\n\n");

    private static async Task WriteAsync(HttpResponse response, byte[] bytes, CancellationToken cancellation)
    {
        await response.Body.WriteAsync(bytes, cancellation);
        await response.Body.FlushAsync(cancellation);
    }
}
