namespace RagFunctions.Cohere;

/// <summary>What the last real call to a dependency taught us: health reads it instead of spending quota on a probe.</summary>
/// <param name="Ok">The service answered (a request it rejected for its content still counts as an answer).</param>
/// <param name="Error">Why not, in operator words; never a key.</param>
internal sealed record CallOutcome(bool Ok, string? Error, TimeSpan? Latency, DateTimeOffset At);

/// <summary>
/// The outcome of the last real Cohere call, updated by <see cref="CohereHttp"/>. A trial key has 1,000 calls a
/// month, so <c>/health</c> reports this instead of calling Cohere, and probes only when nothing is known yet.
/// </summary>
internal sealed class CohereCallRecorder(TimeProvider time)
{
    private CallOutcome? last;

    public CallOutcome? Last => Volatile.Read(ref last);

    public void Succeeded(TimeSpan latency) => Volatile.Write(ref last, new CallOutcome(true, null, latency, time.GetUtcNow()));

    /// <summary>Only failures that say the service or our key is unusable; a request Cohere rejects for its content does not.</summary>
    public void Failed(int? status, string error)
    {
        if (status is null or 401 or 402 or 403 or 429 or >= 500)
        {
            Volatile.Write(ref last, new CallOutcome(false, error, null, time.GetUtcNow()));
        }
        else
        {
            Volatile.Write(ref last, new CallOutcome(true, null, null, time.GetUtcNow()));
        }
    }
}
