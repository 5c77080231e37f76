using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;

namespace RagFunctions.Cohere;

/// <summary>
/// The events of an open Cohere stream, parsed by <see cref="SseParser"/>. A silence longer than the idle timeout,
/// a dropped connection or an unreadable body end the stream with a <see cref="CohereException"/>. Disposing it
/// closes the connection unless the stream was read to its end.
/// </summary>
internal sealed class CohereEventStream(
    HttpRequestMessage request, HttpResponseMessage response, Stream body, TimeSpan idleTimeout, CohereHttp owner) : IDisposable
{
    private static readonly TimeSpan DrainBudget = TimeSpan.FromSeconds(1);

    /// <summary>Each event's name (<c>message</c> when it has none) and its <c>data:</c> lines joined by newlines.</summary>
    public async IAsyncEnumerable<SseItem<string>> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var parser = SseParser.Create(body, static (_, data) => Encoding.UTF8.GetString(data));
        await using var events = parser.EnumerateAsync(idle.Token).GetAsyncEnumerator(idle.Token);
        while (true)
        {
            idle.CancelAfter(idleTimeout);
            bool more;
            try
            {
                more = await events.MoveNextAsync();
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw owner.Fail(new CohereException(null, $"Cohere timed out after {CohereResilience.Seconds(idleTimeout)} s", ex));
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException)
            {
                throw owner.Fail(new CohereException(null, "Cohere stream ended early", ex));
            }

            if (!more)
            {
                yield break;
            }

            yield return events.Current;
        }
    }

    /// <summary>
    /// After the last event: reads what is left (a <c>[DONE]</c> line, the final chunk) for a short while so the
    /// connection can be reused. Failures here do not matter: the answer is complete.
    /// </summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(DrainBudget);
        try
        {
            await body.CopyToAsync(Stream.Null, budget.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
        {
        }
    }

    public void Dispose()
    {
        body.Dispose();
        response.Dispose();
        request.Dispose();
    }
}
