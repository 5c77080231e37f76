using Microsoft.Extensions.Logging.Abstractions;
using RagFunctions.Ingestion;

namespace RagFunctions.Tests.Support;

/// <summary>The bundled sample book read the way the app reads it by default (site http://localhost:3000/, route docs).</summary>
internal static class SampleBook
{
    public static readonly DocusaurusSite Site = new(new Uri(BookOptions.DefaultBaseUrl), "docs");

    public static IReadOnlyList<BookPage> Read(string docsFolder)
        => new MarkdownBookReader(Site, NullLogger<MarkdownBookReader>.Instance).ReadAsync(docsFolder, CancellationToken.None).GetAwaiter().GetResult();
}
