using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using RagFunctions.Hosting;

namespace RagFunctions.Ingestion;

/// <summary>Where the book is and how its pages are addressed.</summary>
internal sealed class BookOptions
{
    /// <summary>Docusaurus' development server: right for the bundled sample book and local frontends.</summary>
    public const string DefaultBaseUrl = "http://localhost:3000/";

    [ConfigurationKeyName(EnvironmentVariables.BookBaseUrl)]
    public string? BaseUrl { get; set; }

    [ConfigurationKeyName(EnvironmentVariables.BookDocsDir)]
    public string? DocsDir { get; set; }

    [ConfigurationKeyName(EnvironmentVariables.BookDocsRoute)]
    public string? DocsRoute { get; set; }

    [ConfigurationKeyName(EnvironmentVariables.SitemapUrl)]
    public string? SitemapUrl { get; set; }

    /// <summary>The site URL plus base URL, ending in '/'.</summary>
    public Uri SiteUrl => new((string.IsNullOrWhiteSpace(BaseUrl) ? DefaultBaseUrl : BaseUrl.Trim()).TrimEnd('/') + "/");

    /// <summary>The docs route base, e.g. "docs" (Docusaurus' default), without slashes.</summary>
    public string Route => (DocsRoute ?? "docs").Trim().Trim('/');

    /// <summary>The docs folder to ingest: <c>BOOK_DOCS_DIR</c>, else the sample book shipped next to the app.</summary>
    public string DocsFolder => string.IsNullOrWhiteSpace(DocsDir)
        ? Path.Combine(AppContext.BaseDirectory, "SampleBook", "docs")
        : Path.GetFullPath(DocsDir);

    public bool UsesSampleBook => string.IsNullOrWhiteSpace(DocsDir);
}

internal sealed class BookOptionsValidator : IValidateOptions<BookOptions>
{
    public ValidateOptionsResult Validate(string? name, BookOptions options)
    {
        var failures = new List<string>();
        if (!string.IsNullOrWhiteSpace(options.BaseUrl) && !OptionValues.IsHttpUrl(options.BaseUrl))
        {
            failures.Add($"{EnvironmentVariables.BookBaseUrl} must be an absolute http(s) URL such as https://example.github.io/Book/.");
        }

        if (!string.IsNullOrWhiteSpace(options.SitemapUrl) && !OptionValues.IsHttpUrl(options.SitemapUrl))
        {
            failures.Add($"{EnvironmentVariables.SitemapUrl} must be an absolute http(s) URL such as https://example.github.io/Book/sitemap.xml.");
        }

        if (!string.IsNullOrWhiteSpace(options.DocsDir) && !Directory.Exists(options.DocsFolder))
        {
            failures.Add($"{EnvironmentVariables.BookDocsDir} is '{options.DocsDir}', which is not a folder.");
        }

        if (options.Route.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '/')))
        {
            failures.Add($"{EnvironmentVariables.BookDocsRoute} must be a URL path such as 'docs'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
