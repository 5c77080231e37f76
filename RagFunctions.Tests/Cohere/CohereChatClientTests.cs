using System.Text.Json;
using Microsoft.Extensions.AI;
using RagFunctions.Cohere;
using RagFunctions.Retrieval;
using RagFunctions.Tests.Fakes;
using static RagFunctions.Tests.Cohere.CohereHarness;

namespace RagFunctions.Tests.Cohere;

public sealed class CohereChatClientTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    internal static string ExpectedAnswer(params GroundingDocument[] documents)
        => CohereDouble.AnswerPrefix + string.Concat(documents.Select(d => " " + CohereDouble.FirstSentence(d.Text)));

    [Fact]
    public async Task GetResponseAsync_SendsBearerKeyClientNameAndOneSystemMessageFirst()
    {
        await using var harness = await StartAsync();
        ChatMessage[] messages =
        [
            new(ChatRole.User, "What is a node?"),
            new(ChatRole.Assistant, "A process that computes."),
            new(ChatRole.System, "Answer only from the documents."),
            new(ChatRole.User, "What is ROS 2?"),
        ];

        await harness.Chat.GetResponseAsync(messages, new ChatOptions { Instructions = "Be brief." }, Cancel);

        var sent = Assert.Single(harness.Cohere.RequestsTo(CohereDouble.ChatPath));
        Assert.Equal("POST", sent.Method);
        Assert.Equal("Bearer " + harness.Cohere.ApiKey, sent.Header("Authorization"));
        Assert.Equal("ragfunctions", sent.Header("X-Client-Name"));
        Assert.StartsWith("application/json", sent.Header("Content-Type"), StringComparison.Ordinal);
        var json = sent.Json;
        Assert.Equal("command-a-03-2025", json.GetProperty("model").GetString());
        Assert.False(json.GetProperty("stream").GetBoolean());
        var sentMessages = json.GetProperty("messages").EnumerateArray().ToArray();
        Assert.Equal(["system", "user", "assistant", "user"], sentMessages.Select(m => m.GetProperty("role").GetString()));
        Assert.Equal("Be brief.\n\nAnswer only from the documents.", sentMessages[0].GetProperty("content").GetString());
        Assert.Equal("What is ROS 2?", sentMessages[3].GetProperty("content").GetString());
    }

    [Fact]
    public async Task GetResponseAsync_GroundingDocuments_GoInTheDocumentsFieldNeverInMessages()
    {
        await using var harness = await StartAsync();

        await harness.Chat.GetResponseAsync(Question, WithDocuments(Ros, Gazebo), Cancel);

        var json = Assert.Single(harness.Cohere.RequestsTo(CohereDouble.ChatPath)).Json;
        var documents = json.GetProperty("documents").EnumerateArray().ToArray();
        Assert.Equal(2, documents.Length);
        Assert.Equal("doc-1", documents[0].GetProperty("id").GetString());
        var data = documents[0].GetProperty("data");
        Assert.Equal(["title", "url", "snippet"], data.EnumerateObject().Select(p => p.Name));
        Assert.Equal(Ros.Title, data.GetProperty("title").GetString());
        Assert.Equal(Ros.Url, data.GetProperty("url").GetString());
        Assert.Equal(Ros.Text, data.GetProperty("snippet").GetString());
        Assert.Equal("doc-2", documents[1].GetProperty("id").GetString());
        Assert.Equal("ACCURATE", json.GetProperty("citation_options").GetProperty("mode").GetString());
        Assert.DoesNotContain(
            json.GetProperty("messages").EnumerateArray(),
            m => m.GetProperty("content").GetString()!.Contains("middleware", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetResponseAsync_ChatOptions_OverrideModelAndSetSampling()
    {
        await using var harness = await StartAsync();
        var options = new ChatOptions { ModelId = "command-r7b-12-2024", Temperature = 0.2f, MaxOutputTokens = 300, StopSequences = ["\n\n"] };

        var response = await harness.Chat.GetResponseAsync(Question, options, Cancel);

        var json = Assert.Single(harness.Cohere.RequestsTo(CohereDouble.ChatPath)).Json;
        Assert.Equal("command-r7b-12-2024", json.GetProperty("model").GetString());
        Assert.Equal(0.2, json.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(300, json.GetProperty("max_tokens").GetInt32());
        Assert.Equal("\n\n", json.GetProperty("stop_sequences")[0].GetString());
        Assert.False(json.TryGetProperty("documents", out _));
        Assert.Equal("command-r7b-12-2024", response.ModelId);
    }

    [Fact]
    public async Task GetResponseAsync_Answer_MapsTextCitationSpansAndUsage()
    {
        await using var harness = await StartAsync();
        GroundingDocument[] documents = [Ros, Gazebo, Urdf];

        var response = await harness.Chat.GetResponseAsync(Question, WithDocuments(documents), Cancel);

        var expected = ExpectedAnswer(documents);
        Assert.Equal(expected, response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal("command-a-03-2025", response.ModelId);
        Assert.False(string.IsNullOrEmpty(response.ResponseId));

        var content = Assert.IsType<TextContent>(Assert.Single(Assert.Single(response.Messages).Contents));
        var citations = content.Annotations!.Cast<CitationAnnotation>().ToArray();
        Assert.Equal(3, citations.Length);
        for (var i = 0; i < documents.Length; i++)
        {
            var region = Assert.IsType<TextSpanAnnotatedRegion>(Assert.Single(citations[i].AnnotatedRegions!));
            Assert.Equal(CohereDouble.FirstSentence(documents[i].Text), response.Text[region.StartIndex!.Value..region.EndIndex!.Value]);
            Assert.Equal(documents[i].Id, citations[i].FileId);
            Assert.Equal([documents[i].Id], Assert.IsType<string[]>(citations[i].AdditionalProperties![CohereChatClient.DocumentIdsKey]));
            Assert.Equal(documents[i].Title, citations[i].Title);
            Assert.Equal(documents[i].Url, citations[i].Url!.OriginalString);
            Assert.Equal(documents[i].Text, citations[i].Snippet);
        }

        var usage = response.Usage!;
        var output = CohereDouble.Tokenize(expected).Count;
        Assert.Equal(output, usage.OutputTokenCount);
        var billedInput = usage.AdditionalCounts!["billed_input_tokens"];
        Assert.Equal(billedInput + CohereDouble.PreambleTokens, usage.InputTokenCount);
        Assert.Equal(usage.InputTokenCount + output, usage.TotalTokenCount);
    }

    [Fact]
    public async Task GetResponseAsync_NoDocuments_ReturnsTextWithoutAnnotations()
    {
        await using var harness = await StartAsync();

        var response = await harness.Chat.GetResponseAsync(Question, cancellationToken: Cancel);

        Assert.Equal(CohereDouble.NoDocumentsAnswer, response.Text);
        Assert.Null(Assert.Single(response.Messages[0].Contents).Annotations);
    }

    [Fact]
    public async Task GetResponseAsync_ThinkingBlock_IsLeftOutAndSpansStillMatch()
    {
        await using var harness = await StartAsync();
        harness.Cohere.Thinking = true;

        var response = await harness.Chat.GetResponseAsync(Question, WithDocuments(Ros), Cancel);

        Assert.Equal(ExpectedAnswer(Ros), response.Text);
        var region = (TextSpanAnnotatedRegion)response.Messages[0].Contents[0].Annotations![0].AnnotatedRegions![0];
        Assert.Equal(CohereDouble.FirstSentence(Ros.Text), response.Text[region.StartIndex!.Value..region.EndIndex!.Value]);
    }

    [Fact]
    public async Task GetResponseAsync_MaxTokensReached_FinishesWithLength()
    {
        await using var harness = await StartAsync();

        var response = await harness.Chat.GetResponseAsync(Question, WithDocuments(Ros).With(o => o.MaxOutputTokens = 3), Cancel);

        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(string.Concat(CohereDouble.Tokenize(ExpectedAnswer(Ros)).Take(3)), response.Text);
    }

    [Fact]
    public async Task GetResponseAsync_TemperatureOutOfRange_ThrowsRejectedWithoutRetry()
    {
        await using var harness = await StartAsync();

        var error = await Assert.ThrowsAsync<CohereException>(
            () => harness.Chat.GetResponseAsync(Question, new ChatOptions { Temperature = 1.5f }, Cancel));

        Assert.Equal(400, error.Status);
        Assert.Equal("Cohere rejected the request: 400 invalid request: temperature must be between 0 and 1", error.Message);
        Assert.Single(harness.Cohere.RequestsTo(CohereDouble.ChatPath));
    }

    [Fact]
    public async Task GetResponseAsync_DuplicateDocumentIds_ThrowsRejected()
    {
        await using var harness = await StartAsync();

        var error = await Assert.ThrowsAsync<CohereException>(
            () => harness.Chat.GetResponseAsync(Question, WithDocuments(Ros, Ros with { Title = "Again" }), Cancel));

        Assert.Equal(400, error.Status);
        Assert.Contains("duplicate document id: doc-1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetService_Metadata_NamesCohereAndTheChatModel()
    {
        await using var harness = await StartAsync();

        var metadata = harness.Chat.GetService<ChatClientMetadata>();

        Assert.Equal("cohere", metadata!.ProviderName);
        Assert.Equal("command-a-03-2025", metadata.DefaultModelId);
        Assert.Equal(new Uri(harness.Cohere.BaseUrl + "/"), metadata.ProviderUri);
    }
}

internal static class ChatOptionsTestExtensions
{
    public static ChatOptions With(this ChatOptions options, Action<ChatOptions> change)
    {
        change(options);
        return options;
    }
}
