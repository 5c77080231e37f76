using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Logging;
using RagFunctions.Hosting;
using RagFunctions.Retrieval;

namespace RagFunctions.Chat;

/// <summary>
/// Answers kept for <see cref="ChatPipelineOptions.CacheFor"/> under the index version and the question as searched, and
/// identical questions in flight answered once. Questions with history or selected text are always answered anew;
/// degraded answers are never kept. Each reader gets the answer under a new id.
/// </summary>
internal sealed partial class AnswerCache(
    HybridCache cache, BookCatalog catalog, ChatPipelineOptions settings, ILogger<AnswerCache> logger, RagMetrics metrics)
{
    private static readonly HybridCacheEntryOptions ReadOnly = new()
    {
        Flags = HybridCacheEntryFlags.DisableUnderlyingData | HybridCacheEntryFlags.DisableLocalCacheWrite | HybridCacheEntryFlags.DisableDistributedCacheWrite,
    };

    private readonly ConcurrentDictionary<string, Task<ChatAnswer>> writing = new(StringComparer.Ordinal);

    /// <summary>The answer's events: the kept answer at once, another reader's at once when it is written, or <paramref name="generate"/>'s.</summary>
    public async IAsyncEnumerable<ChatEvent> AnswerAsync(
        PreparedQuestion prepared,
        Func<PreparedQuestion, CancellationToken, IAsyncEnumerable<ChatEvent>> generate,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (prepared.Query.History.Count > 0 || prepared.Query.SelectedText is not null)
        {
            await foreach (var item in generate(prepared, cancellationToken))
            {
                yield return item;
            }

            yield break;
        }

        // Read-only lookup, then generation in the request's own flow (its log scope and its cancellation),
        // rather than a cache factory that would run apart from the request.
        var key = await KeyAsync(prepared, cancellationToken);
        var kept = await cache.GetOrCreateAsync(key, static _ => ValueTask.FromResult<ChatAnswer?>(null), ReadOnly, cancellationToken: cancellationToken);
        if (kept is not null)
        {
            LogCacheHit(logger);
            metrics.CacheHit();
        }

        var events = kept is null ? WriteOnceAsync(key, prepared, generate, cancellationToken) : ChatEvent.AtOnce(kept).ToAsyncEnumerable();
        await foreach (var item in events)
        {
            yield return item is ChatEvent.Done done
                ? new ChatEvent.Done(done.Answer with { AnswerId = ChatAnswer.NewId(), LatencyMs = prepared.Watch.ElapsedMilliseconds })
                : item;
        }
    }

    /// <summary>
    /// The warm-up's turn through the cache (<see cref="ChatService.WarmAsync"/>): the question's key and a read that
    /// writes nothing, then the answer written (the first write of an answer makes its serializer) under a key no
    /// question has and removed at once.
    /// </summary>
    public async Task WarmAsync(PreparedQuestion prepared, ChatAnswer answer, CancellationToken cancellationToken)
    {
        await cache.GetOrCreateAsync(await KeyAsync(prepared, cancellationToken), static _ => ValueTask.FromResult<ChatAnswer?>(null), ReadOnly, cancellationToken: cancellationToken);
        const string warmUp = "chat:warm-up";
        await cache.SetAsync(warmUp, answer, new HybridCacheEntryOptions { Expiration = TimeSpan.FromSeconds(1), LocalCacheExpiration = TimeSpan.FromSeconds(1) }, cancellationToken: cancellationToken);
        await cache.RemoveAsync(warmUp, cancellationToken);
    }

    /// <summary>
    /// Readers asking the same question at the same moment (a suggested question, a shared link) share one model call:
    /// the first writes the answer, the others wait for it. If the first fails or leaves, the next one writes its own.
    /// </summary>
    private async IAsyncEnumerable<ChatEvent> WriteOnceAsync(
        string key,
        PreparedQuestion prepared,
        Func<PreparedQuestion, CancellationToken, IAsyncEnumerable<ChatEvent>> generate,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        TaskCompletionSource<ChatAnswer> mine;
        while (true)
        {
            mine = new TaskCompletionSource<ChatAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
            var writer = writing.GetOrAdd(key, mine.Task);
            if (writer == mine.Task)
            {
                break;
            }

            LogJoined(logger);
            ChatAnswer shared;
            try
            {
                shared = await writer.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                continue;
            }

            foreach (var item in ChatEvent.AtOnce(shared))
            {
                yield return item;
            }

            yield break;
        }

        try
        {
            await foreach (var item in generate(prepared, cancellationToken))
            {
                // Degraded answers are not kept: the next reader should get the model again.
                if (item is ChatEvent.Done { Answer: var answer })
                {
                    if (!answer.Degraded)
                    {
                        await cache.SetAsync(key, answer, new HybridCacheEntryOptions { Expiration = settings.CacheFor, LocalCacheExpiration = settings.CacheFor }, cancellationToken: cancellationToken);
                    }

                    mine.TrySetResult(answer);
                }

                yield return item;
            }
        }
        finally
        {
            // Those waiting write their own answer (cancelled, not failed: nothing is left unobserved).
            mine.TrySetCanceled(CancellationToken.None);
            writing.TryRemove(new KeyValuePair<string, Task<ChatAnswer>>(key, mine.Task));
        }
    }

    private async Task<string> KeyAsync(PreparedQuestion prepared, CancellationToken cancellationToken)
    {
        var version = await catalog.IndexVersionAsync(cancellationToken);
        var question = prepared.Standalone.ToLowerInvariant();
        return $"chat:v2:{version}:{prepared.Query.TopK}:{prepared.Language.CacheKey}:{Hash(prepared.Page?.PageUrl + "\n" + question)}";
    }

    /// <summary>
    /// The page and the question as a fixed-length hash: HybridCache refuses keys past 1,024 characters (it logs an error
    /// and never keeps the answer), and a question may be 2,000.
    /// </summary>
    private static string Hash(string text)
        => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Answered from the cache")]
    private static partial void LogCacheHit(ILogger logger);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Information, Message = "The same question is being answered for another reader; waiting for that answer")]
    private static partial void LogJoined(ILogger logger);
}
