using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RagFunctions.Ingestion;

namespace RagFunctions.Tests.Support;

/// <summary>
/// The bundled sample book, ingested once per test run with the local embeddings into a template folder;
/// each test gets its own copy of that index, so tests stay isolated and fast.
/// </summary>
internal static class SampleBookIndex
{
    private static readonly Lazy<Task<string>> Template = new(BuildAsync);

    /// <summary>A fresh data folder holding the ingested sample book.</summary>
    public static async Task<string> CopyAsync() => IndexFolder.Copy(await Template.Value);

    /// <summary>A test app over a copy of the ingested sample book.</summary>
    public static async Task<TestApp> StartAppAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["RAG_DATA_DIR"] = await CopyAsync(),
        };
        return await TestApp.StartAsync(all);
    }

    private static async Task<string> BuildAsync()
    {
        var folder = TempDirectory.Create();
        await using (var app = await TestApp.StartAsync(new Dictionary<string, string?> { ["RAG_DATA_DIR"] = folder }))
        {
            var startup = app.Services.GetServices<IHostedService>().OfType<StartupIngestion>().Single();
            await startup.Completion;
        }

        // The app is disposed: SQLite has checkpointed its WAL into the database file, which can now be copied.
        return folder;
    }
}
