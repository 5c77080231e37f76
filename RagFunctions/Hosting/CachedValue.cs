namespace RagFunctions.Hosting;

/// <summary>
/// A value built on demand and kept while it is current (a snapshot of the index, the last health check): readers take
/// the kept value without waiting; when there is none or it is no longer current, one caller builds it and the others
/// wait for that build rather than start their own.
/// </summary>
internal sealed class CachedValue<T>
    where T : class
{
    private readonly SemaphoreSlim building = new(1, 1);
    private T? current;

    /// <summary>Forgets the kept value: the next read builds it again.</summary>
    public void Forget() => current = null;

    /// <param name="isCurrent">Whether a kept value may still be served.</param>
    /// <param name="build">Builds the value when the kept one may not be served.</param>
    public async Task<T> GetAsync(Func<T, bool> isCurrent, Func<CancellationToken, Task<T>> build, CancellationToken cancellationToken)
    {
        if (current is { } kept && isCurrent(kept))
        {
            return kept;
        }

        await building.WaitAsync(cancellationToken);
        try
        {
            if (current is { } built && isCurrent(built))
            {
                return built;
            }

            var value = await build(cancellationToken);
            current = value;
            return value;
        }
        finally
        {
            building.Release();
        }
    }
}
