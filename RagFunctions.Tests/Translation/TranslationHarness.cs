using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RagFunctions.Tests.Fakes;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Translation;

/// <summary>The app over the sample book, with the Cohere double answering as <see cref="FakeTranslator"/>.</summary>
internal sealed class TranslationHarness : IAsyncDisposable
{
    public const string CommunicationPage = "http://localhost:3000/docs/ros2/communication";

    private TranslationHarness(CohereDouble cohere, FakeTranslator translator, TestApp app, string dataDir)
    {
        Cohere = cohere;
        Translator = translator;
        App = app;
        DataDir = dataDir;
    }

    public CohereDouble Cohere { get; }

    public FakeTranslator Translator { get; }

    public TestApp App { get; private set; }

    public string DataDir { get; }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public static async Task<TranslationHarness> StartAsync(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var cohere = await CohereDouble.StartAsync(Cancel);
        var translator = new FakeTranslator();
        cohere.Respond = translator.Respond;
        var dataDir = await SampleBookIndex.CopyAsync();
        var app = await TestApp.StartAsync(Settings(cohere, dataDir, extra));
        return new TranslationHarness(cohere, translator, app, dataDir);
    }

    /// <summary>Stops the app and starts a new one on the same data folder (a restart).</summary>
    public async Task RestartAsync()
    {
        await App.DisposeAsync();
        App = await TestApp.StartAsync(Settings(Cohere, DataDir, null));
    }

    public Task<HttpResponseMessage> PostAsync(string json)
        => App.Client.PostAsync("/translate", new StringContent(json, Encoding.UTF8, "application/json"), Cancel);

    public Task<HttpResponseMessage> PostPageAsync(string pageUrl, string language = "urdu")
        => App.Client.PostAsJsonAsync("/translate", new Dictionary<string, string> { ["page_url"] = pageUrl, ["target_language"] = language }, Cancel);

    public async Task<JsonElement> TranslatePageAsync(string pageUrl = CommunicationPage, string language = "urdu")
    {
        using var response = await PostPageAsync(pageUrl, language);
        var body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Cohere.DisposeAsync();
    }

    private static Dictionary<string, string?> Settings(CohereDouble cohere, string dataDir, IReadOnlyDictionary<string, string?>? extra)
    {
        var settings = new Dictionary<string, string?>
        {
            ["RAG_DATA_DIR"] = dataDir,
            ["COHERE_API_KEY"] = cohere.ApiKey,
            ["COHERE_BASE_URL"] = cohere.BaseUrl,
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }
}
