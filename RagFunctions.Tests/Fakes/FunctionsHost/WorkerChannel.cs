using System.Collections.Concurrent;
using Grpc.Core;
using RagFunctions.Tests.Fakes.FunctionsHost.Rpc;
using GrpcException = Grpc.Core.RpcException;

namespace RagFunctions.Tests.Fakes.FunctionsHost;

/// <summary>
/// The host's end of the worker's gRPC <c>FunctionRpc.EventStream</c>: accepts the one worker it started (its
/// <c>StartStream</c> must carry that worker id), sends requests and pairs the worker's replies with them by
/// <c>request_id</c>, and invocation responses by <c>invocation_id</c>. Keeps the worker's <c>RpcLog</c> messages.
/// </summary>
internal sealed class WorkerChannel(string workerId) : FunctionRpc.FunctionRpcBase
{
    private readonly TaskCompletionSource connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StreamingMessage>> replies = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<InvocationResponse>> invocations = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RpcLog> logs = new();
    private readonly List<(Func<RpcLog, bool> Match, TaskCompletionSource<RpcLog> Arrived)> logWaiters = [];
    private readonly SemaphoreSlim writing = new(1, 1);
    private IServerStreamWriter<StreamingMessage>? writer;

    /// <summary>Completes when the worker opened the stream with its <c>StartStream</c>.</summary>
    public Task Connected => connected.Task;

    /// <summary>Completes when the worker's side of the stream ended (it closed it, or its process went away).</summary>
    public Task Ended => ended.Task;

    /// <summary>What the worker logged through the host (the host writes these to its own log).</summary>
    public IReadOnlyList<RpcLog> Logs => [.. logs];

    /// <summary>The first log line, already sent or still to come, that <paramref name="match"/> accepts.</summary>
    public Task<RpcLog> LogAsync(Func<RpcLog, bool> match, CancellationToken cancellationToken)
    {
        lock (logWaiters)
        {
            if (logs.FirstOrDefault(match) is { } sent)
            {
                return Task.FromResult(sent);
            }

            var arrived = new TaskCompletionSource<RpcLog>(TaskCreationOptions.RunContinuationsAsynchronously);
            logWaiters.Add((match, arrived));
            return arrived.Task.WaitAsync(cancellationToken);
        }
    }

    public override async Task EventStream(
        IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context)
    {
        if (!await requestStream.MoveNext(context.CancellationToken)
            || requestStream.Current.ContentCase != StreamingMessage.ContentOneofCase.StartStream
            || requestStream.Current.StartStream.WorkerId != workerId)
        {
            throw new GrpcException(new Status(StatusCode.FailedPrecondition, "The stream must open with StartStream from the worker this host started."));
        }

        writer = responseStream;
        connected.TrySetResult();
        try
        {
            while (await requestStream.MoveNext(context.CancellationToken))
            {
                Receive(requestStream.Current);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or GrpcException)
        {
            // The worker went away mid-stream: what waits for it is failed below.
        }
        finally
        {
            var gone = new InvalidOperationException("The worker's stream ended.");
            foreach (var reply in replies.Values)
            {
                reply.TrySetException(gone);
            }

            foreach (var invocation in invocations.Values)
            {
                invocation.TrySetException(gone);
            }

            ended.TrySetResult();
        }
    }

    /// <summary>Sends <paramref name="request"/> under a new request id and returns the worker's reply to it.</summary>
    public async Task<StreamingMessage> RequestAsync(StreamingMessage request, CancellationToken cancellationToken)
    {
        request.RequestId = Guid.NewGuid().ToString();
        var reply = new TaskCompletionSource<StreamingMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        replies[request.RequestId] = reply;
        try
        {
            await SendAsync(request, cancellationToken);
            return await reply.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            replies.TryRemove(request.RequestId, out _);
        }
    }

    /// <summary>Registers an invocation before its request is sent, so that its response cannot be missed.</summary>
    public Task<InvocationResponse> ExpectInvocation(string invocationId)
    {
        var response = new TaskCompletionSource<InvocationResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        invocations[invocationId] = response;
        return response.Task;
    }

    public async Task SendAsync(StreamingMessage message, CancellationToken cancellationToken)
    {
        var stream = writer ?? throw new InvalidOperationException("The worker has not connected.");
        await writing.WaitAsync(cancellationToken);
        try
        {
            await stream.WriteAsync(message, cancellationToken);
        }
        finally
        {
            writing.Release();
        }
    }

    private void Receive(StreamingMessage message)
    {
        switch (message.ContentCase)
        {
            case StreamingMessage.ContentOneofCase.RpcLog:
                lock (logWaiters)
                {
                    logs.Enqueue(message.RpcLog);
                    foreach (var waiter in logWaiters.Where(w => w.Match(message.RpcLog)).ToArray())
                    {
                        logWaiters.Remove(waiter);
                        waiter.Arrived.SetResult(message.RpcLog);
                    }
                }

                break;
            case StreamingMessage.ContentOneofCase.InvocationResponse:
                if (invocations.TryRemove(message.InvocationResponse.InvocationId, out var invocation))
                {
                    invocation.TrySetResult(message.InvocationResponse);
                }

                break;
            default:
                if (replies.TryGetValue(message.RequestId, out var reply))
                {
                    reply.TrySetResult(message);
                }

                break;
        }
    }
}
