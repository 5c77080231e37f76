using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using RagFunctions.Ingestion;
using RagFunctions.Retrieval.VectorStore;

namespace RagFunctions.Tests.Support;

/// <summary>
/// The real books of <see cref="Corpora"/>, indexed with the local embeddings once and shared by the tests.
/// The index is kept between test runs in a folder of the temp directory (one per checkout and book): each run brings
/// it up to date with an incremental ingest (only changed sections are embedded, so a run after the first takes
/// seconds instead of minutes), then every test gets its own copy.
/// </summary>
internal static class CorpusIndex
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Templates = new();

    /// <summary>The settings that point the app at <paramref name="corpus"/>.</summary>
    public static Dictionary<string, string?> Settings(string corpus) => new()
    {
        ["BOOK_BASE_URL"] = Corpora.BaseUrl(corpus),
        ["BOOK_DOCS_DIR"] = Corpora.Docs(corpus),
        ["BOOK_DOCS_ROUTE"] = Corpora.DocsRoute(corpus),
    };

    /// <summary>A fresh data folder holding the indexed book.</summary>
    public static async Task<string> CopyAsync(string corpus)
        => IndexFolder.Copy(await Templates.GetOrAdd(corpus, c => new Lazy<Task<string>>(() => BuildAsync(c))).Value);

    /// <summary>A test app over a copy of the indexed book.</summary>
    public static async Task<TestApp> StartAppAsync(string corpus, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var all = Settings(corpus);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        all["RAG_DATA_DIR"] = await CopyAsync(corpus);
        return await TestApp.StartAsync(all);
    }

    private static async Task<string> BuildAsync(string corpus)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(RepoFiles.Root)))[..12];
        var folder = Path.Combine(Path.GetTempPath(), "ragfunctions-corpus-index", $"{corpus}-{key}");
        try
        {
            await IngestAsync(corpus, folder);
        }
        catch (IndexMismatchException)
        {
            // Built with another embedding model: start again.
            Directory.Delete(folder, recursive: true);
            await IngestAsync(corpus, folder);
        }

        return folder;
    }

    private static async Task IngestAsync(string corpus, string folder)
    {
        Directory.CreateDirectory(folder);
        var settings = Settings(corpus);
        settings["RAG_DATA_DIR"] = folder;
        await using var app = await TestApp.StartAsync(settings);
        await app.StartupIngestion;
        var pages = await app.Services.GetRequiredService<BookSource>().ReadFolderAsync(Corpora.Docs(corpus), CancellationToken.None);
        await app.Services.GetRequiredService<IngestionService>().IngestAsync(pages, complete: true, progress: null, CancellationToken.None);

        // Disposing the app checkpoints SQLite's WAL into the database file, which can then be copied.
    }
}

/// <summary>Copies of an index folder, so each test works on its own.</summary>
internal static class IndexFolder
{
    public static string Copy(string template)
    {
        var copy = TempDirectory.Create();
        foreach (var file in Directory.GetFiles(template))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        return copy;
    }
}
