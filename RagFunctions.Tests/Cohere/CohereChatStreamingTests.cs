using Microsoft.Extensions.AI;
using RagFunctions.Cohere;
using RagFunctions.Retrieval;
using RagFunctions.Tests.Fakes;
using static RagFunctions.Tests.Cohere.CohereChatClientTests;
using static RagFunctions.Tests.Cohere.CohereHarness;

namespace RagFunctions.Tests.Cohere;

public sealed class CohereChatStreamingTests
{
    private static readonly TimeSpan Safety = TimeSpan.FromSeconds(10);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetStreamingResponseAsync_Deltas_ArriveInOrderThenFinishAndUsage()
    {
        await using var harness = await StartAsync();

        var updates = await ReadAllAsync(harness.Chat.GetStreamingResponseAsync(Question, WithDocuments(Ros, Gazebo), Cancel));

        var expected = ExpectedAnswer(Ros, Gazebo);
        Assert.Equal(CohereDouble.Tokenize(expected), updates.Where(u => u.Text.Length > 0).Select(u => u.Text));
        var last = updates[^1];
        Assert.Equal(ChatFinishReason.Stop, last.FinishReason);
        var usage = Assert.IsType<UsageContent>(Assert.Single(last.Contents)).Details;
        Assert.Equal(CohereDouble.Tokenize(expected).Count, usage.OutputTokenCount);

        var response = updates.ToChatResponse();
        Assert.Equal(expected, response.Text);
        Assert.NotNull(response.Usage);

        var sent = Assert.Single(harness.Cohere.RequestsTo(CohereDouble.ChatPath));
        Assert.True(sent.Json.GetProperty("stream").GetBoolean());
        Assert.Equal("FAST", sent.Json.GetProperty("citation_options").GetProperty("mode").GetString());
        Assert.Equal("text/event-stream", sent.Header("Accept"));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_FirstToken_ReachesTheCallerBeforeTheStreamIsReleased()
    {
        await using var harness = await StartAsync();
        harness.Cohere.HoldStreamAfterTokens(1);

        await using var updates = harness.Chat.GetStreamingResponseAsync(Question, WithDocuments(Ros), Cancel).GetAsyncEnumerator(Cancel);
        Assert.True(await updates.MoveNextAsync());

        Assert.Equal(CohereDouble.Tokenize(ExpectedAnswer(Ros))[0], updates.Current.Text);
        Assert.False(harness.Cohere.StreamCompleted.IsCompleted);
        harness.Cohere.ReleaseStream();
        var rest = new List<string>();
        while (await updates.MoveNextAsync())
        {
            rest.Add(updates.Current.Text);
        }

        Assert.True(harness.Cohere.StreamCompleted.IsCompleted);
        Assert.Equal(ExpectedAnswer(Ros), CohereDouble.Tokenize(ExpectedAnswer(Ros))[0] + string.Concat(rest));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ThinkingDeltas_AreSkipped()
    {
        await using var harness = await StartAsync();
        harness.Cohere.Thinking = true;

        var response = (await ReadAllAsync(harness.Chat.GetStreamingResponseAsync(Question, WithDocuments(Ros), Cancel))).ToChatResponse();

        Assert.Equal(ExpectedAnswer(Ros), response.Text);
        Assert.DoesNotContain("quote them", response.Text, StringComparison.Ordinal);
        var region = Assert.IsType<TextSpanAnnotatedRegion>(Citations(response).Single().AnnotatedRegions!.Single());
        Assert.Equal(CohereDouble.FirstSentence(Ros.Text), response.Text[region.StartIndex!.Value..region.EndIndex!.Value]);
    }

    [Theory]
    [InlineData("ACCURATE")]
    [InlineData("FAST")]
    public async Task GetStreamingResponseAsync_CitationsInEitherPlacement_BecomeAnnotationsOnTheAnswer(string placement)
    {
        await using var harness = await StartAsync();
        harness.Cohere.StreamCitations = placement == "FAST" ? CitationPlacement.Fast : CitationPlacement.Accurate;
        GroundingDocument[] documents = [Ros, Gazebo, Urdf];

        var updates = await ReadAllAsync(harness.Chat.GetStreamingResponseAsync(Question, WithDocuments(documents), Cancel));

        var lastText = updates.FindLastIndex(u => u.Text.Length > 0);
        var firstCitation = updates.FindIndex(u => u.Contents.Any(c => c.Annotations is { Count: > 0 }));
        Assert.Equal(placement == "FAST", firstCitation < lastText);
        var response = updates.ToChatResponse();
        Assert.Equal(ExpectedAnswer(documents), response.Text);
        var citations = Citations(response);
        Assert.Equal(documents.Select(d => d.Id), citations.Select(c => c.FileId));
        for (var i = 0; i < documents.Length; i++)
        {
            var region = Assert.IsType<TextSpanAnnotatedRegion>(Assert.Single(citations[i].AnnotatedRegions!));
            Assert.Equal(CohereDouble.FirstSentence(documents[i].Text), response.Text[region.StartIndex!.Value..region.EndIndex!.Value]);
        }
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CrlfFramingAndDoneMarker_AreTolerated()
    {
        await using var harness = await StartAsync();
        harness.Cohere.LineEnding = "\r\n";
        harness.Cohere.SendDoneMarker = true;

        var updates = await ReadAllAsync(harness.Chat.GetStreamingResponseAsync(Question, WithDocuments(Ros), Cancel));

        Assert.Equal(ExpectedAnswer(Ros), updates.ToChatResponse().Text);
        Assert.Equal(ChatFinishReason.Stop, updates[^1].FinishReason);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_ErrorFinish_ThrowsAfterTheTextSoFar()
    {
        await using var harness = await StartAsync();
        harness.Cohere.StreamError = "internal server error";
        var received = new List<string>();

        var error = await Assert.ThrowsAsync<CohereException>(async () =>
        {
            await foreach (var update in harness.Chat.GetStreamingResponseAsync(Question, WithDocuments(Ros), Cancel))
            {
                received.Add(update.Text);
            }
        });

        Assert.Equal("Cohere generation failed: ERROR (internal server error)", error.Message);
        Assert.Equal(CohereDouble.Tokenize(ExpectedAnswer(Ros)).Take(2), received);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_DisconnectMidStream_ThrowsStreamEndedEarly()
    {
        await using var harness = await StartAsync();
        harness.Cohere.HoldStreamAfterTokens(2);
        harness.Cohere.DisconnectAfterTokens = 2;

        await using var updates = harness.Chat.GetStreamingResponseAsync(Question, WithDocuments(Ros), Cancel).GetAsyncEnumerator(Cancel);
        Assert.True(await updates.MoveNextAsync());
        Assert.True(await updates.MoveNextAsync());
        harness.Cohere.ReleaseStream();
        var error = await Assert.ThrowsAsync<CohereException>(async () => await updates.MoveNextAsync());

        Assert.Equal("Cohere stream ended early", error.Message);
        Assert.Null(error.Status);
        Assert.Single(harness.Cohere.RequestsTo(CohereDouble.ChatPath));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_Cancelled_ClosesTheUpstreamRequest()
    {
        await using var harness = await StartAsync();
        harness.Cohere.HoldStreamAfterTokens(1);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Cancel);

        await using var updates = harness.Chat.GetStreamingResponseAsync(Question, WithDocuments(Ros), cancel.Token).GetAsyncEnumerator(cancel.Token);
        Assert.True(await updates.MoveNextAsync());
        var next = updates.MoveNextAsync().AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next);
        await harness.Cohere.StreamAborted.WaitAsync(Safety, Cancel);
        Assert.False(harness.Cohere.StreamCompleted.IsCompleted);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_CallerStopsReading_ClosesTheUpstreamRequest()
    {
        await using var harness = await StartAsync();
        harness.Cohere.HoldStreamAfterTokens(1);

        var updates = harness.Chat.GetStreamingResponseAsync(Question, WithDocuments(Ros), Cancel).GetAsyncEnumerator(Cancel);
        Assert.True(await updates.MoveNextAsync());
        await updates.DisposeAsync();

        await harness.Cohere.StreamAborted.WaitAsync(Safety, Cancel);
        Assert.False(harness.Cohere.StreamCompleted.IsCompleted);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_SilentStream_TimesOutAfterTheIdleTimeout()
    {
        await using var harness = await StartAsync(options => options.StreamIdleTimeout = TimeSpan.FromMilliseconds(200));
        harness.Cohere.HoldStreamAfterTokens(1);

        var error = await Assert.ThrowsAsync<CohereException>(
            () => ReadAllAsync(harness.Chat.GetStreamingResponseAsync(Question, WithDocuments(Ros), Cancel)));

        Assert.Equal("Cohere timed out after 0.2 s", error.Message);
        await harness.Cohere.StreamAborted.WaitAsync(Safety, Cancel);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_StreamLongerThanTheTotalTimeout_IsNotCut()
    {
        await using var harness = await StartAsync(options =>
        {
            options.TotalTimeout = TimeSpan.FromMilliseconds(600);
            options.AttemptTimeout = TimeSpan.FromMilliseconds(600);
        });
        harness.Cohere.TokenDelay = TimeSpan.FromMilliseconds(60);
        GroundingDocument[] documents = [Ros, Gazebo, Urdf];

        var started = System.Diagnostics.Stopwatch.StartNew();
        var updates = await ReadAllAsync(harness.Chat.GetStreamingResponseAsync(Question, WithDocuments(documents), Cancel));

        Assert.True(started.Elapsed > TimeSpan.FromMilliseconds(1200), $"the stream took only {started.Elapsed}");
        Assert.Equal(ExpectedAnswer(documents), updates.ToChatResponse().Text);
        Assert.Single(harness.Cohere.RequestsTo(CohereDouble.ChatPath));
    }

    [Fact]
    public async Task GetStreamingResponseAsync_RateLimitedBeforeTheFirstByte_IsRetried()
    {
        await using var harness = await StartAsync();
        harness.Cohere.Enqueue(CohereDouble.ChatPath, CohereFault.RateLimited(retryAfter: "0"));

        var updates = await ReadAllAsync(harness.Chat.GetStreamingResponseAsync(Question, WithDocuments(Ros), Cancel));

        Assert.Equal(ExpectedAnswer(Ros), updates.ToChatResponse().Text);
        Assert.Equal(2, harness.Cohere.RequestsTo(CohereDouble.ChatPath).Count);
    }

    [Fact]
    public async Task GetStreamingResponseAsync_MalformedEvent_ThrowsMalformedJson()
    {
        await using var harness = await StartAsync();
        harness.Cohere.Enqueue(CohereDouble.ChatPath, CohereFault.MalformedJson);

        var error = await Assert.ThrowsAsync<CohereException>(
            () => ReadAllAsync(harness.Chat.GetStreamingResponseAsync(Question, WithDocuments(Ros), Cancel)));

        Assert.Equal("Cohere returned malformed JSON", error.Message);
    }

    private static CitationAnnotation[] Citations(ChatResponse response)
        => [.. response.Messages.SelectMany(m => m.Contents).SelectMany(c => c.Annotations ?? []).OfType<CitationAnnotation>()];

    private static async Task<List<ChatResponseUpdate>> ReadAllAsync(IAsyncEnumerable<ChatResponseUpdate> updates)
    {
        var list = new List<ChatResponseUpdate>();
        await foreach (var update in updates)
        {
            list.Add(update);
        }

        return list;
    }
}
