using Microsoft.Extensions.Hosting;

namespace RagFunctions.Hosting;

/// <summary>
/// Work done in the background right after start that <c>/health?ready=1</c> waits for, so a reader who arrives when
/// the service says it is ready does not pay for it (the embedding model's warm-up, the chat pipeline's first questions,
/// …). Each folder registers its own as a <see cref="StartupWarmup"/>. A failure is handed to <see cref="Failed"/> to log
/// and never stops the app: the first reader then pays for the work.
/// </summary>
internal abstract class StartupWarmup : BackgroundService
{
    private readonly TaskCompletionSource completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the work is done, or failed and was logged.</summary>
    public Task Completion => completion.Task;

    protected abstract Task WarmAsync(CancellationToken stoppingToken);

    protected abstract void Failed(Exception exception);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Yield();
            await WarmAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Failed(ex);
        }
        finally
        {
            completion.TrySetResult();
        }
    }
}
