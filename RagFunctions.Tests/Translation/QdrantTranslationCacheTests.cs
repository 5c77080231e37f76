using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RagFunctions.Ingestion;
using RagFunctions.Retrieval.VectorStore.Qdrant;
using RagFunctions.Tests.Fakes;
using RagFunctions.Tests.Retrieval.Qdrant;
using RagFunctions.Tests.Support;
using RagFunctions.Translation;

namespace RagFunctions.Tests.Translation;

/// <summary>With <c>QDRANT_URL</c> the section cache lives in <c>&lt;COLLECTION_NAME&gt;_translations</c>, shared by stateless instances.</summary>
public sealed class QdrantTranslationCacheTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SetThenGet_RoundTripsThroughTheTranslationsCollection()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        using var t = QdrantTestStore.For(qdrant, collection: "physical");
        var cache = new QdrantTranslationCache(t.Client, Options.Create(t.Options), NullLogger<QdrantTranslationCache>.Instance);
        var key = TranslationKey.For("## Nodes\n\nA node is a process.", "ur", "command-a-03-2025", "abc");

        Assert.Null(await cache.GetAsync(key, Cancel));
        await cache.SetAsync(key, "## نوڈز", Cancel);

        Assert.Equal("## نوڈز", await cache.GetAsync(key, Cancel));
        Assert.Null(await cache.GetAsync(key with { Language = "ar" }, Cancel));
        Assert.Equal("physical_translations", cache.Collection);
        Assert.True(await t.Client.CollectionExistsAsync("physical_translations", Cancel));
    }

    [Fact]
    public async Task List_GivesEverySectionOfALanguage_WithTheHashOfItsSource()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        using var t = QdrantTestStore.For(qdrant, collection: "physical");
        var cache = new QdrantTranslationCache(t.Client, Options.Create(t.Options), NullLogger<QdrantTranslationCache>.Instance);
        var sections = Enumerable.Range(0, 300).Select(i => $"## Section {i}\n\nText {i}.").ToArray();
        foreach (var section in sections)
        {
            await cache.SetAsync(TranslationKey.For(section, "ur", "command-a-03-2025", "abc"), "اردو " + section, Cancel);
        }

        await cache.SetAsync(TranslationKey.For(sections[0], "ar", "command-a-03-2025", "abc"), "عربي", Cancel);

        var listed = await cache.ListAsync("ur", Cancel);

        Assert.Equal(sections.Length, listed.Count);
        Assert.Equal(
            sections.Select(s => (TranslationKey.HashOf(s), "اردو " + s)).Order(),
            listed.Select(l => (l.ContentHash, l.Translation)).Order());
    }

    [Fact]
    public async Task Translate_OnAnotherInstanceWithAnEmptyDataFolder_IsServedFromQdrant()
    {
        await using var qdrant = await QdrantDouble.StartAsync(cancellationToken: Cancel);
        await using var cohere = await CohereDouble.StartAsync(Cancel);
        var translator = new FakeTranslator();
        cohere.Respond = translator.Respond;
        Dictionary<string, string?> Settings() => new()
        {
            ["RAG_DATA_DIR"] = TempDirectory.Create(),
            ["QDRANT_URL"] = qdrant.Url,
            ["QDRANT_API_KEY"] = qdrant.ApiKey,
            ["COHERE_API_KEY"] = cohere.ApiKey,
            ["COHERE_BASE_URL"] = cohere.BaseUrl,
        };

        JsonElement first;
        await using (var one = await TestApp.StartAsync(Settings()))
        {
            Assert.IsType<QdrantTranslationCache>(one.Services.GetRequiredService<ITranslationCache>());
            await one.Services.GetServices<IHostedService>().OfType<StartupIngestion>().Single().Completion;
            first = await TranslateAsync(one);
        }

        var calls = translator.Calls;
        Assert.True(calls > 0);
        await using var two = await TestApp.StartAsync(Settings());
        var second = await TranslateAsync(two);

        Assert.True(second.GetProperty("cached").GetBoolean());
        Assert.Equal(calls, translator.Calls);
        Assert.Equal(first.GetProperty("translated_markdown").GetString(), second.GetProperty("translated_markdown").GetString());
    }

    private static async Task<JsonElement> TranslateAsync(TestApp app)
    {
        using var response = await app.Client.PostAsJsonAsync("/translate",
            new Dictionary<string, string> { ["page_url"] = TranslationHarness.CommunicationPage, ["target_language"] = "urdu" }, Cancel);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
