using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RagFunctions.Cohere;
using RagFunctions.Hosting;
using RagFunctions.LanguageModels;
using RagFunctions.Retrieval;
using RagFunctions.Tests.Fakes;
using RagFunctions.Tests.Support;

namespace RagFunctions.Tests.Cohere;

/// <summary>
/// A <see cref="CohereDouble"/> and the app's real language-model registration pointed at it, with every log line
/// (down to Trace) captured. Backoff and timeouts are shortened so failures show in milliseconds.
/// </summary>
internal sealed class CohereHarness : IAsyncDisposable
{
    private CohereHarness(CohereDouble cohere, ServiceProvider services, CapturedLogs logs)
    {
        Cohere = cohere;
        Services = services;
        Logs = logs;
    }

    public CohereDouble Cohere { get; }

    public ServiceProvider Services { get; }

    public CapturedLogs Logs { get; }

    public IChatClient Chat => Services.GetRequiredService<IChatClient>();

    public IEmbeddingGenerator<string, Embedding<float>> Embeddings => Services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();

    public static async Task<CohereHarness> StartAsync(
        Action<CohereOptions>? tune = null, IReadOnlyDictionary<string, string?>? settings = null, string? apiKey = null)
    {
        var cohere = await CohereDouble.StartAsync(TestContext.Current.CancellationToken);
        var all = new Dictionary<string, string?>
        {
            [EnvironmentVariables.CohereApiKey] = apiKey ?? cohere.ApiKey,
            [EnvironmentVariables.CohereBaseUrl] = cohere.BaseUrl,
            [EnvironmentVariables.EmbeddingsProvider] = "cohere",
        };
        foreach (var (name, value) in settings ?? new Dictionary<string, string?>())
        {
            all[name] = value;
        }

        var logs = new CapturedLogs();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs));
        services.AddLanguageModels(new ConfigurationBuilder().AddInMemoryCollection(all).Build());
        services.PostConfigure<CohereOptions>(options =>
        {
            options.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
            options.AttemptTimeout = TimeSpan.FromSeconds(10);
            options.TotalTimeout = TimeSpan.FromSeconds(20);
            options.StreamIdleTimeout = TimeSpan.FromSeconds(10);
            tune?.Invoke(options);
        });
        return new CohereHarness(cohere, services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }), logs);
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await Cohere.DisposeAsync();
    }

    public static ChatOptions WithDocuments(params GroundingDocument[] documents)
        => GroundingDocument.Attach(new ChatOptions(), documents);

    public static readonly GroundingDocument Ros = new(
        "doc-1", "Introduction to ROS 2", "/docs/intro", "ROS 2 is a middleware for robots. It connects nodes through topics.");

    public static readonly GroundingDocument Gazebo = new(
        "doc-2", "Simulation", "/docs/gazebo", "Gazebo simulates robots in 3D worlds. It runs physics engines.");

    public static readonly GroundingDocument Urdf = new(
        "doc-3", "Robot description", "/docs/urdf", "URDF describes a robot's links and joints! Xacro adds macros.");

    public static readonly ChatMessage[] Question =
    [
        new(ChatRole.System, "Answer only from the documents."),
        new(ChatRole.User, "What is ROS 2?"),
    ];
}
