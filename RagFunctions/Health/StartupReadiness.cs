using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RagFunctions.Hosting;
using RagFunctions.Ingestion;

namespace RagFunctions.Health;

/// <summary>
/// Whether the work done at start is over: the index found or built (<see cref="StartupIngestion"/>) and every
/// <see cref="StartupWarmup"/> (the embedding model, the chat pipeline, the feedback store). <c>/health?ready=1</c>
/// answers 503 until it is. Says so once in the log, so an operator watching a restart (or a test watching a worker's
/// log) sees the moment readiness can first answer 200.
/// </summary>
internal sealed partial class StartupReadiness(StartupIngestion startup, IEnumerable<StartupWarmup> warmups, ILogger<StartupReadiness> logger)
    : BackgroundService
{
    public bool Done => startup.Completion.IsCompleted && warmups.All(w => w.Completion.IsCompleted);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await Task.WhenAll(warmups.Select(w => w.Completion).Append(startup.Completion)).WaitAsync(stoppingToken);
            LogDone(logger, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Start-up work done (index, warm-ups) in {ElapsedMs} ms")]
    private static partial void LogDone(ILogger logger, long elapsedMs);
}
