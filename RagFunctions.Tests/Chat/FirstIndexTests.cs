using System.Net;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using RagFunctions.Tests.Fakes;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Chat;

/// <summary>While the first index is being built, a question is told to come back shortly, never "the book does not cover this".</summary>
public sealed class FirstIndexTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/chat")]
    [InlineData("/stream-chat")]
    public async Task QuestionWhileTheFirstIndexIsBuilt_Gets503WithRetryAfter_ThenAnAnswer(string route)
    {
        var embeddings = new HeldEmbeddings();
        await using var app = await TestApp.StartAsync(
            new Dictionary<string, string?> { ["RAG_DATA_DIR"] = TempDirectory.Create() },
            (services, configuration) =>
            {
                AppServices.Add(services, configuration);
                services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(embeddings);
            });

        await embeddings.FirstDocument.Task.WaitAsync(TimeSpan.FromMinutes(1), Cancel);
        using var building = await PostAsync(app, route);
        var problem = JsonDocument.Parse(await building.Content.ReadAsStringAsync(Cancel)).RootElement;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, building.StatusCode);
        Assert.True(building.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Contains("still being indexed", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        embeddings.Release.SetResult();
        await app.StartupIngestion.WaitAsync(TimeSpan.FromMinutes(1), Cancel);
        using var built = await PostAsync(app, route);
        Assert.Equal(HttpStatusCode.OK, built.StatusCode);
    }

    private static Task<HttpResponseMessage> PostAsync(TestApp app, string route)
        => app.Client.PostAsync(route, new StringContent("""{"question":"What is a ROS 2 topic?"}""", System.Text.Encoding.UTF8, "application/json"), Cancel);

    /// <summary>Hash embeddings whose document embedding waits for <see cref="Release"/>: ingestion is held mid-way.</summary>
    private sealed class HeldEmbeddings : IEmbeddingGenerator<string, Embedding<float>>
    {
        private readonly HashEmbeddings inner = new();

        public TaskCompletionSource FirstDocument { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
            IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            if (!RagFunctions.Retrieval.Embeddings.EmbeddingPurpose.IsQuery(options))
            {
                FirstDocument.TrySetResult();
                await Release.Task.WaitAsync(cancellationToken);
            }

            return await inner.GenerateAsync(values, options, cancellationToken);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => inner.GetService(serviceType, serviceKey);

        public void Dispose() => inner.Dispose();
    }
}
