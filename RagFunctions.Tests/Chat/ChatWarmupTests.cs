using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using RagFunctions.Feedback;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Chat;

/// <summary>
/// A restart on an indexed book runs a few questions through the chat pipeline before it says it is ready, so the first
/// reader does not pay for compiling it; those questions leave no trace a reader or an operator would see.
/// </summary>
public sealed class ChatWarmupTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RestartOnAnIndexedBook_WarmsTheChatPipelineBeforeReady_WithoutKeepingRecordingOrLoggingItsQuestions()
    {
        await using var app = await SampleBookIndex.StartAppAsync();

        await app.StartupIngestion;
        await app.Warmups;
        using var ready = await app.Client.GetAsync("/health?ready=1", Cancel);
        var (answers, _) = await app.Services.GetRequiredService<IFeedbackStore>().ReadGapsAsync(Cancel);
        using var first = await app.Client.PostAsJsonAsync("/chat", new { question = "What is a node?" }, Cancel);

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Single(app.Logs.Lines, l => l.Contains("Chat pipeline warmed with 4 questions in", StringComparison.Ordinal));
        Assert.Empty(answers); // the warm-up's question the book does not cover would be a refusal in the gap report
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains("Refused:", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains("Answered from the cache", StringComparison.Ordinal));
    }
}
